#pragma once
// Shared by the commands tests: parse a line and insist on the command or the error expected.
#include "commands/parse.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace incident_bot::commands::testing {

// The command `text` parses to; fails the test on an error or on another kind of command.
template <typename Expected>
Expected parse_as(std::string_view text) {
  const ParseResult result = parse(text);
  if (const auto* error = std::get_if<ParseError>(&result))
    FAIL("'" << text << "' did not parse: " << error->one_line());
  const auto& parsed = std::get<Parsed>(result);
  REQUIRE(std::holds_alternative<Expected>(parsed.command));
  return std::get<Expected>(parsed.command);
}

// The error `text` parses to; fails the test when it parses.
inline ParseError parse_error(std::string_view text) {
  const ParseResult result = parse(text);
  if (std::holds_alternative<Parsed>(result)) FAIL("'" << text << "' parsed, an error was expected");
  return std::get<ParseError>(result);
}

inline bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

}  // namespace incident_bot::commands::testing
