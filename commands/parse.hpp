#pragma once
#include "commands/command.hpp"

#include <span>
#include <string_view>
#include <variant>

namespace incident_bot::commands {

using ParseResult = std::variant<Parsed, ParseError>;

// Never throws; any bytes in, a command or an error out.
ParseResult parse(std::string_view text);

// An update given field by field, as a form submits it. Each value is its field whole: a '|' or a
// "scope:" inside one is text, never the start of another field. An empty value is a field not given.
struct UpdateFields {
  std::string symptom;
  std::string scope;
  std::string layer;
  std::string confidence;  // low, medium or high
  std::string mitigation;
  std::string next_check;
  UserId next_check_owner;  // a platform's user id; empty: a trailing @name in next_check, as typed
  std::string next_update;  // a duration: 30m, 2h
};
enum class UpdateField { symptom, scope, layer, confidence, mitigation, next_check, next_check_owner, next_update };
struct UpdateFieldError {
  UpdateField field;  // the field to point at
  ParseError error;
};
// The checks `update` applies to typed text, field by field: UTF-8, length, layer, confidence, duration, owner.
std::variant<Update, UpdateFieldError> update_from_fields(const UpdateFields& fields);

// A declaration given field by field, as the declare form submits it; each value is its field whole,
// so "sev2" inside a title is title. An empty value is a field not given.
struct DeclareFields {
  std::string title;
  std::string severity;  // sev1..sev4; empty: the configured default
  std::string layer;     // a layer name; empty: none yet
  bool is_private = false;
  std::string symptom;
};
enum class DeclareField { title, severity, layer, symptom };
struct DeclareFieldError {
  DeclareField field;  // the field to point at
  ParseError error;
};
// The checks `declare` applies to typed text, field by field: UTF-8, length, title, severity, layer name.
std::variant<Declare, DeclareFieldError> declare_from_fields(const DeclareFields& fields);

// Every verb with its usage and one example, in the order `help` shows them.
std::span<const VerbHelp> verbs();
const VerbHelp* find_verb(std::string_view verb);

}  // namespace incident_bot::commands
