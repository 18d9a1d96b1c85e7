// The verbs that pace the status updates: snooze a reminder, set the incident's own cadence.
#include "commands/grammar.hpp"

namespace incident_bot::commands::grammar {

CommandOrError parse_snooze(std::string_view arguments) {
  const auto [duration_word, reason] = split_first_word(arguments);
  if (duration_word.empty()) return usage_error("snooze", "missing duration, such as 30m");
  const auto duration = parse_duration(duration_word);
  if (!duration) return duration_error("snooze", "", duration_word, "90s, 30m or 2h");
  if (auto error = too_long("snooze", "reason", reason)) return *error;
  return Snooze{*duration, std::string(reason)};
}

CommandOrError parse_cadence(std::string_view arguments) {
  const auto words = split_words(arguments);
  if (words.empty()) return usage_error("cadence", "missing duration, such as 2h, or default");
  if (words.size() > 1) return usage_error("cadence", "cadence is one duration, got " + quoted(trim(arguments)));
  if (equals_ignoring_case(words.front(), "default")) return SetCadence{0};
  const auto every = parse_duration(words.front());
  if (!every) return duration_error("cadence", "", words.front(), "30m, 2h or 6h");
  return SetCadence{*every};
}

}  // namespace incident_bot::commands::grammar
