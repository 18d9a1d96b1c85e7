#pragma once
// A slash command as typed data: what commands::parse makes of a line of text.
#include "commands/vocabulary.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::commands {

// A user is kept by the id the platform knows them by: U123 on Slack, a name on the console.
using UserId = std::string;

struct Declare {
  std::string title;
  std::optional<int> severity;
  std::optional<std::string> layer;
  bool is_private = false;
  std::string symptom;  // the first symptom, when a form gave one; the one-line grammar has none
};
struct Decline { std::string reason; };
struct AssignRole { Role role; UserId user; };
struct ListRoles {};
struct Update {
  std::string symptom;
  std::optional<std::string> scope;
  std::optional<std::string> layer;
  std::optional<Confidence> confidence;
  std::optional<std::string> mitigation;
  std::optional<std::string> next_check;
  std::optional<UserId> next_check_owner;
  std::optional<Seconds> next_update_in;
};
struct SetScope { std::string scope; };
struct SetLayer { std::string layer; };
struct SetSeverity { int severity; };
struct RecordChange { std::string what; };
struct Verify { std::string finding; };
struct Note { std::string text; };
struct Resolve { std::string summary; };
struct Close { bool force = false; std::string reason; };
struct Reopen {};
struct Status {};
struct List {};
struct Timeline {};
struct Help { std::string verb; };  // empty: every verb
struct Snooze { Seconds for_how_long = 0; std::string reason; };
struct SetCadence { Seconds every = 0; };  // 0: back to the configured cadence

// The postmortem's written sections; `postmortem set <field> <text>` fills one.
enum class PostmortemField { summary, what_happened, cost, detection_gap, causal_layer, evidence, system_change, response,
                             public_summary };
std::string_view to_string(PostmortemField field);                      // "detection-gap"
std::optional<PostmortemField> postmortem_field_from(std::string_view word);  // names and aliases, any case

struct PostmortemShow {};
struct PostmortemSet { PostmortemField field; std::string text; };
struct PostmortemDone {};
struct AddAction {
  std::string text;
  UserId owner;
  std::optional<Timestamp> due;  // 00:00 UTC of the due date
};

// The public status page: `publish <status> <text> [impact:…] [components:…]`, `publish title <text>`,
// `publish` alone, `publish approve`, `unpublish <reason>`.
struct Publish {
  PublicStatus status = PublicStatus::investigating;
  std::string text;
  std::optional<Impact> impact;
  std::vector<std::string> components;  // as written; checked against the configured ones by the workflows
};
struct PublishTitle { std::string title; };
struct PublishShow {};
struct PublishApprove {};
struct Unpublish { std::string reason; };

using Command = std::variant<Declare, Decline, AssignRole, ListRoles, Update, SetScope, SetLayer,
                             SetSeverity, RecordChange, Verify, Note, Resolve, Close, Reopen, Status,
                             List, Timeline, Help, Snooze, SetCadence, PostmortemShow, PostmortemSet, PostmortemDone,
                             AddAction, Publish, PublishTitle, PublishShow, PublishApprove, Unpublish>;

struct Parsed {
  std::optional<std::int64_t> incident;  // INC-N written before the verb
  Command command;
};

struct ParseError {
  std::string message;  // what is wrong, one line
  std::string usage;    // the verb's usage, or the list of verbs when the verb is unknown
  std::string one_line() const { return message + " — usage: " + usage; }
};

struct VerbHelp {
  std::string_view verb;
  std::string_view usage;
  std::string_view example;
  std::string_view summary;
};

}  // namespace incident_bot::commands
