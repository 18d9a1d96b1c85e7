#include "bot/mattermost/dialog.hpp"

#include "bot/net/hmac.hpp"

#include <charconv>
#include <vector>

namespace incident_bot::bot {

namespace json = boost::json;

namespace {

constexpr std::string_view state_version = "d1";

std::string unsigned_state(const DialogState& state) {
  return std::string(state_version) + "." + state.channel + "." + state.user + "." + std::to_string(state.expires) + "." +
         state.nonce;
}

std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto dot = text.find('.');
    parts.push_back(text.substr(0, dot));
    if (dot == std::string_view::npos) return parts;
    text.remove_prefix(dot + 1);
  }
}

json::object element(std::string_view name, std::string_view label, std::string_view type, bool optional) {
  return {{"display_name", label}, {"name", name}, {"type", type}, {"optional", optional}};
}

json::array options_of(const std::vector<std::string>& values) {
  json::array options;
  for (const auto& value : values) options.push_back(json::object{{"text", value}, {"value", value}});
  return options;
}

std::string text_of(const json::object& submission, std::string_view name) {
  const auto* value = submission.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

}  // namespace

std::string signed_dialog_state(std::string_view key, const DialogState& state) {
  const std::string text = unsigned_state(state);
  return text + "." + hmac_sha256_hex(key, text);
}

std::optional<DialogState> verified_dialog_state(std::string_view key, std::string_view state, Timestamp now) {
  if (key.empty() || state.size() > 512) return std::nullopt;
  const auto last_dot = state.rfind('.');
  if (last_dot == std::string_view::npos) return std::nullopt;
  if (!same_secret(state.substr(last_dot + 1), hmac_sha256_hex(key, state.substr(0, last_dot)))) return std::nullopt;
  const auto parts = split_dots(state.substr(0, last_dot));
  if (parts.size() != 5 || parts[0] != state_version) return std::nullopt;
  DialogState read{std::string(parts[1]), std::string(parts[2]), 0, std::string(parts[4])};
  const auto [end, ec] = std::from_chars(parts[3].data(), parts[3].data() + parts[3].size(), read.expires);
  if (ec != std::errc() || end != parts[3].data() + parts[3].size() || read.expires < now) return std::nullopt;
  return read;
}

json::object declare_dialog(const workflows::Policy& policy, std::string state) {
  json::object title = element("title", "Title", "text", false);
  title["placeholder"] = "Checkout fails on mobile";
  title["help_text"] = "What is failing, in a few words.";
  title["max_length"] = 150;
  json::object severity = element("severity", "Severity", "select", false);
  severity["options"] = options_of(severity_choices());
  severity["default"] = default_severity_choice(policy);
  json::object layer = element("layer", "Likely layer", "select", true);
  layer["options"] = options_of(policy.layers);
  json::object is_private = element("private", "Private", "bool", true);
  is_private["placeholder"] = "Only its role holders and channel see it";
  json::object symptom = element("symptom", "First symptom", "textarea", true);
  symptom["placeholder"] = "Checkout returns 502 for card payments";
  symptom["max_length"] = 2000;
  return {{"callback_id", declare_form_callback},
          {"title", "Declare an incident"},
          {"submit_label", "Declare"},
          {"notify_on_cancel", false},
          {"state", std::move(state)},
          {"elements", json::array{std::move(title), std::move(severity), std::move(layer), std::move(is_private),
                                   std::move(symptom)}}};
}

std::optional<DialogSubmission> dialog_submission_from(const json::value& body, std::string& problem) {
  const auto* object = body.if_object();
  if (!object) {
    problem = "a dialog submission is a JSON object";
    return std::nullopt;
  }
  DialogSubmission read;
  read.callback_id = text_of(*object, "callback_id");
  read.state = text_of(*object, "state");
  read.user = text_of(*object, "user_id");
  read.channel = text_of(*object, "channel_id");
  if (const auto* cancelled = object->if_contains("cancelled"); cancelled && cancelled->is_bool())
    read.cancelled = cancelled->as_bool();
  if (const auto* submission = object->if_contains("submission"); submission && submission->is_object())
    read.submission = submission->as_object();
  if (read.user.empty() || read.channel.empty()) {
    problem = "user_id and channel_id are required";
    return std::nullopt;
  }
  return read;
}

commands::DeclareFields declare_fields_from(const json::object& submission) {
  commands::DeclareFields fields;
  fields.title = text_of(submission, "title");
  fields.severity = text_of(submission, "severity");
  fields.layer = text_of(submission, "layer");
  fields.symptom = text_of(submission, "symptom");
  // A bool element submits true or false; some clients send the text.
  if (const auto* flag = submission.if_contains("private"))
    fields.is_private = (flag->is_bool() && flag->as_bool()) || (flag->is_string() && flag->as_string() == "true");
  return fields;
}

json::object declare_dialog_errors(const commands::DeclareFieldError& error) {
  return {{"errors", json::object{{declare_field_name(error.field), declare_field_error(error)}}}};
}

}  // namespace incident_bot::bot
