#include "commands/parse.hpp"

#include "commands/grammar.hpp"
#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("an empty or blank command asks for help", "[parse]") {
  for (const char* text : {"", "   ", "\n", "\t \r\n"}) {
    const auto parsed = std::get<Parsed>(parse(text));
    CHECK_FALSE(parsed.incident);
    REQUIRE(std::holds_alternative<Help>(parsed.command));
    CHECK(std::get<Help>(parsed.command).verb.empty());
  }
}

TEST_CASE("a leading INC-N names the incident in any case", "[parse][incident]") {
  const auto parsed = std::get<Parsed>(parse("INC-12 status"));
  CHECK(parsed.incident == 12);
  CHECK(std::holds_alternative<Status>(parsed.command));

  const auto lower = std::get<Parsed>(parse("  inc-7   note checked the dashboards"));
  CHECK(lower.incident == 7);
  CHECK(std::get<Note>(lower.command).text == "checked the dashboards");

  CHECK_FALSE(std::get<Parsed>(parse("status")).incident);
}

TEST_CASE("a bare INC-N asks for that incident's status", "[parse][incident]") {
  const auto parsed = std::get<Parsed>(parse("INC-3"));
  CHECK(parsed.incident == 3);
  CHECK(std::holds_alternative<Status>(parsed.command));
}

TEST_CASE("an incident number at int64's end is read, one past it is refused by name", "[parse][incident][bounds]") {
  CHECK(std::get<Parsed>(parse("INC-9223372036854775807 status")).incident == 9223372036854775807);
  for (const char* text : {"INC-9223372036854775808 status", "inc-99999999999999999999 timeline"}) {
    INFO(text);
    const auto error = parse_error(text);
    CHECK(contains(error.message, "is past the largest incident number, INC-9223372036854775807"));
    CHECK(contains(error.usage, "declare"));
  }
}

TEST_CASE("a malformed incident reference is an error", "[parse][incident]") {
  for (const char* text : {"INC-0 status", "INC--2 status", "INC-x status", "INC- status", "INC-12a status",
                           "inc-99999999999999999999 status"}) {
    INFO(text);
    const auto error = parse_error(text);
    CHECK(contains(error.message, "incident reference"));
    CHECK(contains(error.usage, "declare"));
  }
}

TEST_CASE("verbs are read in any case", "[parse]") {
  parse_as<Status>("STATUS");
  parse_as<Timeline>("TimeLine");
  CHECK(parse_as<Declare>("DECLARE Checkout down").title == "Checkout down");
  CHECK(parse_as<Note>("Note Mixed Case Kept").text == "Mixed Case Kept");
}

TEST_CASE("every verb help lists is dispatched to a parser", "[parse]") {
  for (const auto& verb : verbs()) {
    INFO(verb.verb);
    const auto result = parse(verb.verb);
    if (const auto* error = std::get_if<ParseError>(&result)) {
      CHECK_FALSE(contains(error->message, "unknown verb"));
      CHECK(error->usage == verb.usage);  // a verb that needs arguments answers with its own usage
    }
  }
}

TEST_CASE("an unknown verb is an error listing every verb", "[parse]") {
  const auto error = parse_error("deploy the fix");
  CHECK(error.message == "unknown verb 'deploy'");
  for (const auto& verb : verbs()) CHECK(contains(error.usage, verb.verb));
  CHECK(parse_error("INC-4 frobnicate").message == "unknown verb 'frobnicate'");
}

TEST_CASE("an unknown verb is quoted shortened in the error", "[parse]") {
  const auto error = parse_error(std::string(5000, 'z'));
  CHECK(error.message.size() < 80);
}

TEST_CASE("invalid UTF-8 is refused with one message", "[parse][bytes]") {
  for (const char* text : {"note caf\xC3", "\xFF", "declare \xC0\xAF sev2", "INC-1 note \xED\xA0\x80"}) {
    const auto error = parse_error(text);
    CHECK(error.message == "text is not valid UTF-8");
    CHECK(contains(error.usage, "declare"));
  }
}

TEST_CASE("control characters other than tab and line breaks are refused", "[parse][bytes]") {
  CHECK(parse_error(std::string("note a\0b", 8)).message == "text contains the control character 0x00");
  CHECK(parse_error("note \x1B[2J").message == "text contains the control character 0x1B");
  CHECK(parse_error("note bell\x07").message == "text contains the control character 0x07");
  CHECK(parse_error("note \x7F").message == "text contains the control character 0x7F");
}

TEST_CASE("line breaks and tabs inside the text read as spaces", "[parse][bytes]") {
  CHECK(parse_as<Note>("note first line\r\nsecond line").text == "first line second line");
  CHECK(parse_as<Note>("note\ta\tb\n").text == "a b");
  const auto declare = parse_as<Declare>("declare Checkout\ndown\nsev2");
  CHECK(declare.title == "Checkout down");
  CHECK(declare.severity == 2);
  CHECK(parse_as<Note>("\n\n  note   spaced    out  \n").text == "spaced    out");
}

TEST_CASE("multi-byte text passes through unchanged", "[parse][bytes]") {
  CHECK(parse_as<Note>("note Zahlungen schlagen fehl \xE2\x80\x94 \xF0\x9F\x94\xA5").text ==
        "Zahlungen schlagen fehl \xE2\x80\x94 \xF0\x9F\x94\xA5");
}

namespace {

// Pieces of real commands, so random sequences reach deep into the verb parsers.
const std::vector<std::string> fragments{
    "declare", "decline", "role", "assign", "update", "scope", "layer", "severity", "change", "verify",
    "note", "resolve", "close", "reopen", "status", "list", "timeline", "help", "INC-", "INC-12", "inc-0",
    " ", "  ", "|", "||", ":", "scope:", "layer:", "confidence:", "next:", "next update:", "symptom:",
    "mitigation:", "@", "@bob", "<@", "<@U1>", "<@U1|Jane Doe>", ">", "sev", "sev2", "sev9", "private",
    "--force", "\xE2\x80\x94" "force", "owner", "lead", "30m", "1h30m", "0s", "-", "x", "\n", "\r\n", "\t",
    "\xC3", "\xA9", "\xFF", "\xF0\x9F\x94\xA5", "\xE2\x82", "\x01", "\x7F", std::string(1, '\0'),
    std::string(700, 'a')};

}  // namespace

TEST_CASE("random bytes never make parse throw", "[parse][fuzz]") {
  std::mt19937 random(12345);
  std::uniform_int_distribution<int> any_byte(0, 255);
  std::uniform_int_distribution<int> any_length(0, 80);
  for (int round = 0; round < 4000; ++round) {
    std::string text;
    const int length = any_length(random);
    for (int i = 0; i < length; ++i) text += static_cast<char>(any_byte(random));
    ParseResult result;
    REQUIRE_NOTHROW(result = parse(text));
    if (const auto* error = std::get_if<ParseError>(&result)) {
      CHECK_FALSE(error->message.empty());
      CHECK_FALSE(error->usage.empty());
    }
  }
}

TEST_CASE("random sequences of command pieces never make parse throw", "[parse][fuzz]") {
  std::mt19937 random(67890);
  std::uniform_int_distribution<std::size_t> any_fragment(0, fragments.size() - 1);
  std::uniform_int_distribution<int> any_count(0, 12);
  for (int round = 0; round < 6000; ++round) {
    std::string text;
    const int count = any_count(random);
    for (int i = 0; i < count; ++i) text += fragments[any_fragment(random)];
    ParseResult result;
    REQUIRE_NOTHROW(result = parse(text));
    if (const auto* error = std::get_if<ParseError>(&result)) {
      CHECK_FALSE(error->message.empty());
      CHECK_FALSE(error->usage.empty());
      // Error messages quote user text: they must stay valid UTF-8 to be sent anywhere.
      CHECK_FALSE(grammar::unreadable_reason(error->message));
    } else {
      INFO(text);
      CHECK_FALSE(grammar::unreadable_reason(text));  // only readable text parses
    }
  }
}
