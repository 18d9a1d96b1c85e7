#include "bot/slack/modal.hpp"

#include "bot/core/declare_form.hpp"

#include <boost/json.hpp>

#include <charconv>

namespace incident_bot::bot {

namespace json = boost::json;

namespace {

json::object plain(std::string_view text) { return {{"type", "plain_text"}, {"text", text}}; }

json::object option(std::string_view value) { return {{"text", plain(value)}, {"value", value}}; }

json::object input(std::string_view block, std::string_view label, json::object element, bool optional) {
  return {{"type", "input"}, {"block_id", block}, {"label", plain(label)}, {"optional", optional}, {"element", std::move(element)}};
}

json::object text_input(const std::string& initial, std::string_view placeholder = {}) {
  json::object element{{"type", "plain_text_input"}, {"action_id", "value"}};
  if (!initial.empty()) element["initial_value"] = initial;
  if (!placeholder.empty()) element["placeholder"] = plain(placeholder);
  return element;
}

json::object select(const std::vector<std::string>& values, const std::string& current) {
  json::array options;
  for (const auto& value : values) options.push_back(option(value));
  json::object element{{"type", "static_select"}, {"action_id", "value"}, {"options", std::move(options)}};
  if (!current.empty()) element["initial_option"] = option(current);
  return element;
}

// The value the user left in one input, whatever its element type.
std::string submitted(const json::object& values, std::string_view block) {
  const auto* by_block = values.if_contains(block);
  if (!by_block || !by_block->is_object()) return {};
  const auto* element = by_block->as_object().if_contains("value");
  if (!element || !element->is_object()) return {};
  const auto& state = element->as_object();
  if (const auto* value = state.if_contains("value"); value && value->is_string()) return std::string(value->as_string());
  if (const auto* user = state.if_contains("selected_user"); user && user->is_string()) return std::string(user->as_string());
  if (const auto* picked = state.if_contains("selected_option"); picked && picked->is_object())
    if (const auto* value = picked->as_object().if_contains("value"); value && value->is_string())
      return std::string(value->as_string());
  // Checkboxes: their values, comma-separated.
  if (const auto* picked = state.if_contains("selected_options"); picked && picked->is_array()) {
    std::string values;
    for (const auto& option : picked->as_array())
      if (option.is_object())
        if (const auto* value = option.as_object().if_contains("value"); value && value->is_string())
          values += (values.empty() ? "" : ",") + std::string(value->as_string());
    return values;
  }
  return {};
}

// The view's state.values when the view has the callback; null otherwise.
const json::object* values_of(const json::object& view, std::string_view callback_id) {
  const auto* callback = view.if_contains("callback_id");
  if (!callback || !callback->is_string() || callback->as_string() != callback_id) return nullptr;
  const auto* state = view.if_contains("state");
  if (!state || !state->is_object()) return nullptr;
  const auto* values = state->as_object().if_contains("values");
  return values && values->is_object() ? &values->as_object() : nullptr;
}

std::string_view block_of(commands::UpdateField field) {
  using commands::UpdateField;
  switch (field) {
    case UpdateField::symptom: return "symptom";
    case UpdateField::scope: return "scope";
    case UpdateField::layer: return "layer";
    case UpdateField::confidence: return "confidence";
    case UpdateField::mitigation: return "mitigation";
    case UpdateField::next_check: return "next";
    case UpdateField::next_check_owner: return "next_owner";
    case UpdateField::next_update: return "next_update";
  }
  return "symptom";
}

// Slack shows at most 150 characters of an input's error; cut on a character boundary.
std::string within_error_limit(std::string text) {
  constexpr std::size_t limit = 150;
  if (text.size() <= limit) return text;
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

}  // namespace

json::object update_modal(const Incident& incident, const std::vector<std::string>& layers, const std::string& channel) {
  const std::string confidence = incident.confidence == Confidence::unknown ? "" : std::string(to_string(incident.confidence));
  json::object next_owner{{"type", "users_select"}, {"action_id", "value"}};
  if (!incident.next_check_owner.empty() && incident.next_check_owner.front() == 'U')
    next_owner["initial_user"] = incident.next_check_owner;
  json::array blocks{
      input("symptom", "Symptom — what is failing", text_input(incident.symptom), false),
      input("scope", "Scope and impact", text_input(incident.scope), true),
      input("layer", "Likely layer", select(layers, incident.layer), true),
      input("confidence", "Confidence", select({"low", "medium", "high"}, confidence), true),
      input("mitigation", "Mitigation in progress", text_input(incident.mitigation), true),
      input("next", "Next verifying check", text_input(incident.next_check), true),
      input("next_owner", "Who runs the next check", std::move(next_owner), true),
      input("next_update", "Next update in", text_input("", "30m"), true),
  };
  return {{"type", "modal"},
          {"callback_id", update_modal_callback},
          {"private_metadata", std::to_string(incident.number) + "|" + channel},
          {"title", plain(incident_id(incident.number) + " update")},
          {"submit", plain("Post update")},
          {"close", plain("Cancel")},
          {"blocks", std::move(blocks)}};
}

std::optional<ModalSubmission> update_from_submission(const json::object& view) {
  const json::object* values_value = values_of(view, update_modal_callback);
  const auto* metadata = view.if_contains("private_metadata");
  if (!values_value || !metadata || !metadata->is_string()) return std::nullopt;
  const std::string_view meta = metadata->as_string();
  const auto bar = meta.find('|');
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(meta.data(), meta.data() + (bar == std::string_view::npos ? meta.size() : bar), number);
  if (ec != std::errc() || bar == std::string_view::npos || number <= 0) return std::nullopt;
  const auto& values = *values_value;

  commands::UpdateFields fields;
  fields.symptom = submitted(values, "symptom");
  fields.scope = submitted(values, "scope");
  fields.layer = submitted(values, "layer");
  fields.confidence = submitted(values, "confidence");
  fields.mitigation = submitted(values, "mitigation");
  fields.next_check = submitted(values, "next");
  fields.next_check_owner = submitted(values, "next_owner");
  fields.next_update = submitted(values, "next_update");
  return ModalSubmission{std::string(meta.substr(bar + 1)), number, commands::update_from_fields(fields)};
}

json::object update_modal_errors(const commands::UpdateFieldError& error) {
  return {{block_of(error.field), within_error_limit(error.error.message)}};
}

json::object declare_modal(const workflows::Policy& policy, const std::string& channel) {
  json::object private_box{{"type", "checkboxes"},
                           {"action_id", "value"},
                           {"options", json::array{{{"text", plain("Private: only its role holders and channel see it")},
                                                    {"value", "private"}}}}};
  json::object symptom = text_input("", "Checkout returns 502 for card payments");
  symptom["multiline"] = true;
  json::array blocks{
      input("title", "Title: what is failing, in a few words", text_input("", "Checkout fails on mobile"), false),
      input("severity", "Severity", select(severity_choices(), default_severity_choice(policy)), false),
      input("layer", "Likely layer", select(policy.layers, ""), true),
      input("private", "Visibility", std::move(private_box), true),
      input("symptom", "First symptom", std::move(symptom), true),
  };
  return {{"type", "modal"},
          {"callback_id", declare_form_callback},
          {"private_metadata", channel},
          {"title", plain("Declare an incident")},
          {"submit", plain("Declare")},
          {"close", plain("Cancel")},
          {"blocks", std::move(blocks)}};
}

std::optional<DeclareSubmission> declare_from_submission(const json::object& view, const workflows::Policy& policy) {
  const json::object* values = values_of(view, declare_form_callback);
  const auto* metadata = view.if_contains("private_metadata");
  if (!values || !metadata || !metadata->is_string() || metadata->as_string().empty()) return std::nullopt;
  commands::DeclareFields fields;
  fields.title = submitted(*values, "title");
  fields.severity = submitted(*values, "severity");
  fields.layer = submitted(*values, "layer");
  fields.is_private = submitted(*values, "private") == "private";
  fields.symptom = submitted(*values, "symptom");
  return DeclareSubmission{std::string(metadata->as_string()), declare_from_form(fields, policy)};
}

json::object declare_modal_errors(const commands::DeclareFieldError& error) {
  return {{declare_field_name(error.field), within_error_limit(declare_field_error(error))}};
}

}  // namespace incident_bot::bot
