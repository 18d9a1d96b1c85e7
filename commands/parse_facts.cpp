// The verbs that record one fact about the incident: scope, layer, severity, change, verify, note.
#include "commands/grammar.hpp"

#include <utility>

namespace incident_bot::commands::grammar {
namespace {

// Wraps the required free text of a verb into its command, or passes the error on.
template <typename FactCommand>
CommandOrError fact_from(std::string_view verb, std::string_view field, std::string_view arguments) {
  auto text = required_text(verb, field, arguments);
  if (auto* error = std::get_if<ParseError>(&text)) return std::move(*error);
  return FactCommand{std::get<std::string>(std::move(text))};
}

}  // namespace

CommandOrError parse_scope(std::string_view arguments) { return fact_from<SetScope>("scope", "scope", arguments); }

CommandOrError parse_layer(std::string_view arguments) {
  auto layer = layer_name("layer", arguments);
  if (auto* error = std::get_if<ParseError>(&layer)) return std::move(*error);
  return SetLayer{std::get<std::string>(std::move(layer))};
}

CommandOrError parse_severity(std::string_view arguments) {
  const auto words = split_words(arguments);
  if (words.empty()) return usage_error("severity", "missing severity");
  if (words.size() > 1) return usage_error("severity", "severity is one word, got " + quoted(trim(arguments)));
  const auto severity = severity_from(words.front());
  if (!severity) return usage_error("severity", "unknown severity " + quoted(words.front()) + ", expected sev1..sev4");
  return SetSeverity{*severity};
}

CommandOrError parse_change(std::string_view arguments) {
  return fact_from<RecordChange>("change", "change", arguments);
}

CommandOrError parse_verify(std::string_view arguments) { return fact_from<Verify>("verify", "finding", arguments); }

CommandOrError parse_note(std::string_view arguments) { return fact_from<Note>("note", "note", arguments); }

}  // namespace incident_bot::commands::grammar
