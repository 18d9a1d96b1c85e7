#include "commands/grammar.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::grammar;

TEST_CASE("unreadable_reason accepts plain text, tabs, line breaks and multi-byte UTF-8", "[grammar]") {
  CHECK_FALSE(unreadable_reason(""));
  CHECK_FALSE(unreadable_reason("declare Checkout down sev2"));
  CHECK_FALSE(unreadable_reason("line one\r\nline two\tand\nthree"));
  CHECK_FALSE(unreadable_reason("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x94\xA5"));  // é € 🔥
  CHECK_FALSE(unreadable_reason("\xEF\xBF\xBF \xF4\x8F\xBF\xBF"));              // U+FFFF, U+10FFFF
}

TEST_CASE("unreadable_reason refuses malformed UTF-8", "[grammar]") {
  for (const char* bytes : {"\xFF", "\xC3", "\x80", "caf\xC3", "\xC0\xAF", "\xC1\xBF",  // stray, truncated, overlong
                            "\xE0\x80\xAF", "\xF0\x80\x80\xAF",                           // overlong
                            "\xED\xA0\x80",                                               // surrogate
                            "\xF4\x90\x80\x80", "\xF5\x80\x80\x80",                       // past U+10FFFF
                            "\xE2\x82", "\xE2\x28\xA1", "\xF0\x9F\x94"}) {
    INFO(bytes);
    CHECK(unreadable_reason(bytes) == "text is not valid UTF-8");
  }
}

TEST_CASE("unreadable_reason refuses control characters other than tab and line breaks", "[grammar]") {
  CHECK(unreadable_reason(std::string("note a\0b", 8)) == "text contains the control character 0x00");
  CHECK(unreadable_reason("note \x07") == "text contains the control character 0x07");
  CHECK(unreadable_reason("note \x1B[31m") == "text contains the control character 0x1B");
  CHECK(unreadable_reason("note \x7F") == "text contains the control character 0x7F");
  CHECK(unreadable_reason("\x0B") == "text contains the control character 0x0B");
}

TEST_CASE("flatten_whitespace turns line breaks and tabs into spaces and trims the ends", "[grammar]") {
  CHECK(flatten_whitespace("  declare  x \n") == "declare  x");
  CHECK(flatten_whitespace("a\r\nb") == "a b");
  CHECK(flatten_whitespace("a\nb\rc\td") == "a b c d");
  CHECK(flatten_whitespace("\r\n\t ") == "");
}

TEST_CASE("trim, lowercase and case-blind comparison work on ASCII and keep other bytes", "[grammar]") {
  CHECK(trim("  a b  ") == "a b");
  CHECK(trim("   ").empty());
  CHECK(lowercase("DeClArE \xC3\x89") == "declare \xC3\x89");
  CHECK(equals_ignoring_case("Update", "uPDATE"));
  CHECK_FALSE(equals_ignoring_case("update", "updates"));
  CHECK(starts_with_ignoring_case("INC-12", "inc-"));
  CHECK_FALSE(starts_with_ignoring_case("IN", "inc-"));
}

TEST_CASE("split_first_word and split_words split on spaces and skip runs of them", "[grammar]") {
  const auto [word, rest] = split_first_word("  role   owner  @bob ");
  CHECK(word == "role");
  CHECK(rest == "owner  @bob");
  CHECK(split_first_word("").word.empty());
  CHECK(split_words(" a  b c ") == std::vector<std::string_view>{"a", "b", "c"});
  CHECK(split_words("   ").empty());
}

TEST_CASE("quoted keeps short text and shortens long text on a character boundary", "[grammar]") {
  CHECK(quoted("x") == "'x'");
  const std::string long_ascii(100, 'a');
  CHECK(quoted(long_ascii) == "'" + std::string(40, 'a') + "…'");
  std::string euros;
  for (int i = 0; i < 30; ++i) euros += "\xE2\x82\xAC";  // three bytes each: byte 40 is mid-character
  const std::string shown = quoted(euros);
  CHECK_FALSE(unreadable_reason(shown));
  CHECK(shown == "'" + euros.substr(0, 39) + "…'");
}

TEST_CASE("user_from reads @names and Slack escapes", "[grammar][users]") {
  CHECK(user_from("@bob") == "bob");
  CHECK(user_from("@jane.doe-2_x") == "jane.doe-2_x");
  CHECK(user_from("@J\xC3\xBCrgen") == "J\xC3\xBCrgen");
  CHECK(user_from("<@U123ABC>") == "U123ABC");
  CHECK(user_from("<@U123|bob>") == "U123");
  CHECK(user_from("<@W42|Jane Doe>") == "W42");
}

TEST_CASE("user_from refuses anything that is not a mention", "[grammar][users]") {
  for (const char* word : {"", "@", "bob", "@bob!", "@bob@example", "@<bob>", "<@>", "<@|bob>", "<@U1", "<@U 1>",
                           "<#C123|general>", "<!here>", "<!subteam^S1|@ops>", "@bob smith", "<@U1>x"}) {
    INFO(word);
    CHECK_FALSE(user_from(word));
  }
}

TEST_CASE("incident_number_from reads INC-N and explains a bad reference", "[grammar]") {
  CHECK(std::get<std::int64_t>(incident_number_from("INC-12")) == 12);
  CHECK(std::get<std::int64_t>(incident_number_from("inc-7")) == 7);
  CHECK(std::get<std::int64_t>(incident_number_from("INC-9223372036854775807")) == 9223372036854775807);
  for (const char* word : {"INC-", "INC-x", "INC-12a", "INC-+3", "INC-1.5", "INC-9223372036854775808x"})
    CHECK(std::get<std::string>(incident_number_from(word)).find("is not INC- and a number") != std::string::npos);
  for (const char* word : {"INC-9223372036854775808", "INC-99999999999999999999"})
    CHECK(std::get<std::string>(incident_number_from(word)).find("is past the largest incident number") != std::string::npos);
  for (const char* word : {"INC-0", "INC--3"})
    CHECK(std::get<std::string>(incident_number_from(word)).find("positive") != std::string::npos);
}

TEST_CASE("too_long accepts max_field_length bytes and names the field past it", "[grammar]") {
  CHECK_FALSE(too_long("note", "note", std::string(max_field_length, 'x')));
  const auto error = too_long("note", "note", std::string(max_field_length + 1, 'x'));
  REQUIRE(error);
  CHECK(error->message == "note is too long: 2001 bytes, at most 2000");
  CHECK(error->usage == "note <text>");
}

TEST_CASE("required_text trims, and reports a missing value by its field", "[grammar]") {
  CHECK(std::get<std::string>(required_text("decline", "reason", "  dup  ")) == "dup");
  CHECK(std::get<ParseError>(required_text("decline", "reason", "  ")).message == "missing reason");
}

TEST_CASE("without_arguments refuses extra text and spots a misplaced incident reference", "[grammar]") {
  CHECK(std::holds_alternative<Command>(without_arguments("status", "", Status{})));
  CHECK(std::get<ParseError>(without_arguments("status", "now", Status{})).message ==
        "status takes no arguments, got 'now'");
  CHECK(std::get<ParseError>(without_arguments("status", "INC-4", Status{})).message ==
        "write the incident before the verb: INC-4 status");
}

TEST_CASE("layer_name lowercases one word and refuses none or several", "[grammar]") {
  CHECK(std::get<std::string>(layer_name("layer", "Delivery")) == "delivery");
  CHECK(std::get<ParseError>(layer_name("layer", "")).message == "missing layer");
  CHECK(std::get<ParseError>(layer_name("layer", "two words")).message == "a layer is one word, got 'two words'");
}

TEST_CASE("usage_error takes the verb's usage and general_error lists the verbs", "[grammar]") {
  CHECK(usage_error("assign", "x").usage == usage_error("role", "x").usage);
  const auto general = general_error("x");
  CHECK(general.usage == every_verb_usage());
  CHECK(general.usage.find("declare, decline, role, update") != std::string::npos);
}
