// The verbs that only read: status, list, timeline, help.
#include "commands/grammar.hpp"
#include "commands/parse.hpp"

namespace incident_bot::commands::grammar {

CommandOrError parse_status(std::string_view arguments) { return without_arguments("status", arguments, Status{}); }

CommandOrError parse_list(std::string_view arguments) { return without_arguments("list", arguments, List{}); }

CommandOrError parse_timeline(std::string_view arguments) {
  return without_arguments("timeline", arguments, Timeline{});
}

CommandOrError parse_help(std::string_view arguments) {
  const auto words = split_words(arguments);
  if (words.empty()) return Help{};
  if (words.size() > 1) return usage_error("help", "help takes one verb, got " + quoted(trim(arguments)));
  const VerbHelp* verb = find_verb(words.front());
  if (!verb) return general_error("no help for unknown verb " + quoted(words.front()));
  // The canonical name, so `help assign` shows the role entry.
  return Help{std::string(verb->verb)};
}

}  // namespace incident_bot::commands::grammar
