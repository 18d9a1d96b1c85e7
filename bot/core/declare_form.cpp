#include "bot/core/declare_form.hpp"

#include <cctype>

namespace incident_bot::bot {

bool opens_declare_form(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return true;
  constexpr std::string_view verb = "declare";
  if (text.size() != verb.size()) return false;
  for (std::size_t i = 0; i < verb.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != verb[i]) return false;
  return true;
}

std::vector<std::string> severity_choices() { return {"sev1", "sev2", "sev3", "sev4"}; }

std::string default_severity_choice(const workflows::Policy& policy) { return "sev" + std::to_string(policy.default_severity); }

std::string_view declare_field_name(commands::DeclareField field) {
  using commands::DeclareField;
  switch (field) {
    case DeclareField::title: return "title";
    case DeclareField::severity: return "severity";
    case DeclareField::layer: return "layer";
    case DeclareField::symptom: return "symptom";
  }
  return "title";
}

std::variant<commands::Declare, commands::DeclareFieldError> declare_from_form(const commands::DeclareFields& fields,
                                                                                const workflows::Policy& policy) {
  auto declared = commands::declare_from_fields(fields);
  if (auto* declare = std::get_if<commands::Declare>(&declared); declare && declare->layer &&
                                                                   !workflows::is_known_layer(policy, *declare->layer)) {
    const auto* verb = commands::find_verb("declare");
    commands::ParseError error{"unknown layer '" + *declare->layer + "', expected one of " + workflows::layer_list(policy),
                               verb ? std::string(verb->usage) : std::string()};
    return commands::DeclareFieldError{commands::DeclareField::layer, std::move(error)};
  }
  return declared;
}

std::string declare_field_error(const commands::DeclareFieldError& error) { return error.error.message; }

}  // namespace incident_bot::bot
