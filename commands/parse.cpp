// The entry point: clean the text, read the incident reference, hand the rest to the verb's parser.
#include "commands/parse.hpp"

#include "commands/grammar.hpp"

#include <array>
#include <utility>

namespace incident_bot::commands {
namespace {

using grammar::VerbParser;

struct VerbEntry {
  std::string_view verb;
  VerbParser parser;
};

// Every verb and alias the grammar knows; the help text for each lives in verbs.cpp.
constexpr std::array<VerbEntry, 24> verb_parsers{{
    {"declare", grammar::parse_declare},
    {"decline", grammar::parse_decline},
    {"role", grammar::parse_role},
    {"assign", grammar::parse_role},
    {"update", grammar::parse_update},
    {"scope", grammar::parse_scope},
    {"layer", grammar::parse_layer},
    {"severity", grammar::parse_severity},
    {"change", grammar::parse_change},
    {"verify", grammar::parse_verify},
    {"note", grammar::parse_note},
    {"resolve", grammar::parse_resolve},
    {"close", grammar::parse_close},
    {"reopen", grammar::parse_reopen},
    {"status", grammar::parse_status},
    {"list", grammar::parse_list},
    {"timeline", grammar::parse_timeline},
    {"help", grammar::parse_help},
    {"snooze", grammar::parse_snooze},
    {"cadence", grammar::parse_cadence},
    {"postmortem", grammar::parse_postmortem},
    {"action", grammar::parse_action},
    {"publish", grammar::parse_publish},
    {"unpublish", grammar::parse_unpublish},
}};

VerbParser parser_for(std::string_view verb) {
  for (const auto& entry : verb_parsers)
    if (grammar::equals_ignoring_case(verb, entry.verb)) return entry.parser;
  return nullptr;
}

}  // namespace

ParseResult parse(std::string_view text) {
  if (auto reason = grammar::unreadable_reason(text)) return grammar::general_error(std::move(*reason));
  const std::string flat = grammar::flatten_whitespace(text);

  auto [verb, arguments] = grammar::split_first_word(flat);
  std::optional<std::int64_t> incident;
  if (grammar::looks_like_incident_reference(verb)) {
    auto number = grammar::incident_number_from(verb);
    if (auto* message = std::get_if<std::string>(&number)) return grammar::general_error(std::move(*message));
    incident = std::get<std::int64_t>(number);
    const auto after_reference = grammar::split_first_word(arguments);
    verb = after_reference.word;
    arguments = after_reference.rest;
    // A bare reference asks about that incident.
    if (verb.empty()) return Parsed{incident, Status{}};
  }
  // A bare slash command is someone asking what they can do.
  if (verb.empty()) return Parsed{incident, Help{}};

  const VerbParser parser = parser_for(verb);
  if (!parser) return grammar::general_error("unknown verb " + grammar::quoted(verb));
  auto result = parser(arguments);
  if (auto* error = std::get_if<ParseError>(&result)) return std::move(*error);
  return Parsed{incident, std::move(std::get<Command>(result))};
}

}  // namespace incident_bot::commands
