#pragma once
// Internal to commands/: the pieces every verb parser shares, and the parsers the table dispatches to.
#include "commands/command.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace incident_bot::commands::grammar {

// A verb parser's answer; parse() adds the incident reference around it.
using CommandOrError = std::variant<Command, ParseError>;

// Receives the text after the verb, already cleaned and trimmed.
using VerbParser = CommandOrError (*)(std::string_view arguments);

// --- Reading the raw text (grammar.cpp) ---

// Why the bytes cannot be read as a command, or nullopt when they can.
std::optional<std::string> unreadable_reason(std::string_view raw);
// Line breaks and tabs become spaces, then the ends are trimmed; interior spacing is kept.
std::string flatten_whitespace(std::string_view raw);

std::string_view trim(std::string_view text);
std::string lowercase(std::string_view text);  // ASCII letters only; other bytes kept
bool equals_ignoring_case(std::string_view left, std::string_view right);
bool starts_with_ignoring_case(std::string_view text, std::string_view prefix);

struct FirstWord {
  std::string_view word;
  std::string_view rest;  // trimmed
};
FirstWord split_first_word(std::string_view text);
std::vector<std::string_view> split_words(std::string_view text);

// 'text' for an error message, shortened on a character boundary so the message stays one line.
std::string quoted(std::string_view text);

// "@name", "<@U123>" or "<@U123|name>"; nullopt for anything else.
std::optional<UserId> user_from(std::string_view word);
bool looks_like_user(std::string_view word);  // starts like a mention, valid or not

// An incident reference "INC-N" (any case); the number, or an error message.
bool looks_like_incident_reference(std::string_view word);
std::variant<std::int64_t, std::string> incident_number_from(std::string_view word);

// --- Errors (grammar.cpp) ---

ParseError usage_error(std::string_view verb, std::string message);
ParseError general_error(std::string message);  // usage: the list of verbs
std::string every_verb_usage();

// A word that is no duration: "<subject>'<word>' is longer than 365d…" or "… is not a duration such as <examples>".
ParseError duration_error(std::string_view verb, std::string_view subject, std::string_view word,
                          std::string_view examples);

// An error naming the field when the value is longer than max_field_length bytes.
std::optional<ParseError> too_long(std::string_view verb, std::string_view field, std::string_view value);

// The free text a verb requires, or an error saying it is missing or too long.
std::variant<std::string, ParseError> required_text(std::string_view verb, std::string_view field,
                                                    std::string_view arguments);
// The command when nothing follows the verb, an error otherwise.
CommandOrError without_arguments(std::string_view verb, std::string_view arguments, Command command);

// A layer name: one word, lowercased; the configured list is checked later, by the workflows.
std::variant<std::string, ParseError> layer_name(std::string_view verb, std::string_view value);

// --- Verb parsers, one file per family ---

// parse_lifecycle.cpp
CommandOrError parse_declare(std::string_view arguments);
CommandOrError parse_decline(std::string_view arguments);
CommandOrError parse_resolve(std::string_view arguments);
CommandOrError parse_close(std::string_view arguments);
CommandOrError parse_reopen(std::string_view arguments);

// parse_roles.cpp
CommandOrError parse_role(std::string_view arguments);

// parse_facts.cpp
CommandOrError parse_scope(std::string_view arguments);
CommandOrError parse_layer(std::string_view arguments);
CommandOrError parse_severity(std::string_view arguments);
CommandOrError parse_change(std::string_view arguments);
CommandOrError parse_verify(std::string_view arguments);
CommandOrError parse_note(std::string_view arguments);

// parse_update.cpp
CommandOrError parse_update(std::string_view arguments);

// parse_cadence.cpp
CommandOrError parse_snooze(std::string_view arguments);
CommandOrError parse_cadence(std::string_view arguments);

// parse_queries.cpp
CommandOrError parse_status(std::string_view arguments);
CommandOrError parse_list(std::string_view arguments);
CommandOrError parse_timeline(std::string_view arguments);
CommandOrError parse_help(std::string_view arguments);

// parse_postmortem.cpp
CommandOrError parse_postmortem(std::string_view arguments);
CommandOrError parse_action(std::string_view arguments);
// parse_publish.cpp
CommandOrError parse_publish(std::string_view arguments);
CommandOrError parse_unpublish(std::string_view arguments);

// "2026-12-01" -> 00:00 UTC of that day; nullopt unless a real calendar date in that form.
std::optional<Timestamp> date_from(std::string_view word);

}  // namespace incident_bot::commands::grammar
