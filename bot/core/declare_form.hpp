#pragma once
// The declare form both chats open for people who do not type grammar: the text that opens it, the
// choices it offers, and a submission checked as the one-line command is, field by field.
#include "commands/parse.hpp"
#include "workflows/policy.hpp"

#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace incident_bot::bot {

inline constexpr std::string_view declare_form_callback = "incident_declare";

// Blank text, or "declare" with nothing after it: the form, rather than help or a usage error.
bool opens_declare_form(std::string_view text);

// "sev1".."sev4", the first preselected being the policy's default.
std::vector<std::string> severity_choices();
std::string default_severity_choice(const workflows::Policy& policy);

// The field's name in both chats' forms: "title", "severity", "layer", "symptom".
std::string_view declare_field_name(commands::DeclareField field);

// The grammar's checks, then the layer against the configured ones: the form offers only those,
// but one opened before the config changed may send another.
std::variant<commands::Declare, commands::DeclareFieldError> declare_from_form(const commands::DeclareFields& fields,
                                                                                const workflows::Policy& policy);

// What shows under the field at fault: the one-line reason, without the verb's usage.
std::string declare_field_error(const commands::DeclareFieldError& error);

}  // namespace incident_bot::bot
