#include "bot/slack/modal.hpp"

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
  return {};
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
  const auto* callback = view.if_contains("callback_id");
  if (!callback || !callback->is_string() || callback->as_string() != update_modal_callback) return std::nullopt;
  const auto* metadata = view.if_contains("private_metadata");
  const auto* state = view.if_contains("state");
  if (!metadata || !metadata->is_string() || !state || !state->is_object()) return std::nullopt;
  const std::string_view meta = metadata->as_string();
  const auto bar = meta.find('|');
  std::int64_t number = 0;
  const auto [end, ec] = std::from_chars(meta.data(), meta.data() + (bar == std::string_view::npos ? meta.size() : bar), number);
  if (ec != std::errc() || bar == std::string_view::npos || number <= 0) return std::nullopt;
  const auto* values_value = state->as_object().if_contains("values");
  if (!values_value || !values_value->is_object()) return std::nullopt;
  const auto& values = values_value->as_object();

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

}  // namespace incident_bot::bot
