#include "commands/parse.hpp"

#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("verbs lists every verb in help order", "[verbs]") {
  std::vector<std::string> names;
  for (const auto& verb : verbs()) names.emplace_back(verb.verb);
  CHECK(names == std::vector<std::string>{"declare", "decline", "role", "update", "scope", "layer", "severity",
                                          "change", "verify", "note", "resolve", "close", "reopen", "snooze", "cadence",
                                          "status", "list", "timeline", "help", "postmortem", "action", "publish", "unpublish"});
}

TEST_CASE("every verb has a usage starting with its name, an example and a summary", "[verbs]") {
  for (const auto& verb : verbs()) {
    INFO(verb.verb);
    CHECK(verb.usage.starts_with(verb.verb));
    CHECK_FALSE(verb.example.empty());
    CHECK_FALSE(verb.summary.empty());
    CHECK(verb.summary.find('\n') == std::string_view::npos);
  }
}

TEST_CASE("every verb's example parses", "[verbs]") {
  for (const auto& verb : verbs()) {
    INFO(verb.example);
    const auto result = parse(verb.example);
    if (const auto* error = std::get_if<ParseError>(&result)) FAIL(error->one_line());
  }
}

TEST_CASE("find_verb finds verbs in any case and resolves the assign alias", "[verbs]") {
  REQUIRE(find_verb("declare"));
  CHECK(find_verb("declare")->verb == "declare");
  CHECK(find_verb("UPDATE")->verb == "update");
  REQUIRE(find_verb("assign"));
  CHECK(find_verb("assign")->verb == "role");
  CHECK(find_verb("Assign")->verb == "role");
}

TEST_CASE("find_verb returns nothing for an unknown verb", "[verbs]") {
  CHECK_FALSE(find_verb(""));
  CHECK_FALSE(find_verb("deploy"));
  CHECK_FALSE(find_verb("declare "));
  CHECK_FALSE(find_verb("INC-1"));
}
