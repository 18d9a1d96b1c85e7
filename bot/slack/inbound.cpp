#include "bot/slack/inbound.hpp"

#include "bot/slack/modal.hpp"
#include "store/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <regex>

namespace incident_bot::bot {

namespace json = boost::json;

namespace {

// "update" or "INC-12 update" with nothing else: the modal, rather than a usage error.
std::optional<std::optional<std::int64_t>> bare_update(std::string_view text) {
  static const std::regex pattern(R"(^\s*(?:[Ii][Nn][Cc]-(\d{1,12})\s+)?[Uu][Pp][Dd][Aa][Tt][Ee]\s*$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  if (!match[1].matched) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{std::stoll(match[1].str())};
}

}  // namespace

std::string json_string_at(const json::object& object, std::initializer_list<std::string_view> path) {
  const json::object* current = &object;
  const json::value* value = nullptr;
  for (auto key = path.begin(); key != path.end(); ++key) {
    value = current->if_contains(*key);
    if (!value) return {};
    if (std::next(key) != path.end()) {
      if (!value->is_object()) return {};
      current = &value->as_object();
    }
  }
  return value && value->is_string() ? std::string(value->as_string()) : std::string{};
}

std::string slack_unescape(std::string_view text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("&amp;")) { plain += '&'; i += 4; }
    else if (text.substr(i).starts_with("&lt;")) { plain += '<'; i += 3; }
    else if (text.substr(i).starts_with("&gt;")) { plain += '>'; i += 3; }
    else plain += text[i];
  }
  return plain;
}

json::object slack_command_body(const Reply& reply) {
  json::object body{{"response_type", reply.visibility == workflows::Visibility::in_channel ? "in_channel" : "ephemeral"},
                    {"text", reply.text}};
  boost::system::error_code ec;
  if (json::value blocks = json::parse(reply.blocks, ec); !ec && blocks.is_array()) body["blocks"] = std::move(blocks);
  return body;
}

std::string slack_command_reply(const Reply& reply) { return json::serialize(slack_command_body(reply)); }

SlackInbound::SlackInbound(Dispatcher& dispatcher, SQLite::Database& db, SlackInboundOptions options,
                           std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher), db_(db), options_(std::move(options)), logger_(std::move(logger)) {}

Reply SlackInbound::dispatch(Invocation invocation) {
  Reply reply = dispatcher_.handle(invocation, options_.clock());
  if (options_.posts_waiting) options_.posts_waiting();
  return reply;
}

InboundAnswer SlackInbound::command(const SlashCommand& command) {
  if (command.channel_id.empty() || command.user_id.empty())
    return InboundAnswer::refused("channel_id and user_id are required");
  const std::string text = slack_unescape(command.text);
  const std::string& trigger = command.trigger_id;

  if (const auto update = bare_update(text); update && !trigger.empty() && options_.open_view) {
    Invocation probe{command.channel_id, command.user_id, text, {}};
    auto addressed = dispatcher_.address(probe, *update);
    if (auto* refusal = std::get_if<workflows::AddressRefusal>(&addressed))
      return InboundAnswer::json(slack_command_body({workflows::Visibility::ephemeral, refusal->text, {}, ReplyKind::refused}));
    const Incident& incident = std::get<Incident>(addressed);
    options_.open_view(trigger, update_modal(incident, dispatcher_.policy().layers, command.channel_id));
    return InboundAnswer::nothing();
  }
  const std::string delivery = trigger.empty() ? std::string{} : "slack:command:" + trigger;
  return InboundAnswer::json(slack_command_body(dispatch({command.channel_id, command.user_id, text, delivery})));
}

InboundAnswer SlackInbound::interaction(const json::object& payload) {
  const std::string type = json_string_at(payload, {"type"});
  if (type == "block_actions") return block_action(payload);
  if (type == "view_submission") return view_submission(payload);
  return InboundAnswer::nothing();
}

InboundAnswer SlackInbound::block_action(const json::object& payload) {
  const auto* actions = payload.if_contains("actions");
  if (!actions || !actions->is_array() || actions->as_array().empty() || !actions->as_array()[0].is_object())
    return InboundAnswer::refused("block_actions without actions");
  const auto& action = actions->as_array()[0].as_object();
  const std::string action_id = json_string_at(action, {"action_id"});
  const std::string value = json_string_at(action, {"value"});
  const std::string user = json_string_at(payload, {"user", "id"});
  const std::string channel = json_string_at(payload, {"channel", "id"});
  const std::string trigger = json_string_at(payload, {"trigger_id"});
  std::int64_t number = 0;
  const auto [end, parse_error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (parse_error != std::errc() || number <= 0 || user.empty())
    return InboundAnswer::refused("action without an incident or a user");

  if (action_id == "post_update") {
    const auto incident = store::load_incident(db_, number);
    if (incident && options_.open_view && !trigger.empty())
      options_.open_view(trigger, update_modal(*incident, dispatcher_.policy().layers, channel));
    return InboundAnswer::nothing();
  }
  if (action_id == "take_comms") {
    const std::string delivery = trigger.empty() ? std::string{} : "slack:action:" + trigger;
    dispatch({channel, user, incident_id(number) + " role comms <@" + user + ">", delivery, true});
  }
  return InboundAnswer::nothing();
}

InboundAnswer SlackInbound::view_submission(const json::object& payload) {
  const auto* view = payload.if_contains("view");
  if (!view || !view->is_object()) return InboundAnswer::refused("view_submission without a view");
  auto submission = update_from_submission(view->as_object());
  if (!submission) return InboundAnswer::nothing();
  // A field the grammar refuses keeps the modal open with the error under that field; nothing is dispatched.
  if (const auto* refused = std::get_if<commands::UpdateFieldError>(&submission->update))
    return InboundAnswer::json({{"response_action", "errors"}, {"errors", update_modal_errors(*refused)}});
  const std::string user = json_string_at(payload, {"user", "id"});
  const std::string trigger = json_string_at(payload, {"trigger_id"});
  const std::string delivery = trigger.empty() ? std::string{} : "slack:view:" + trigger;
  commands::Parsed update{submission->incident, std::get<commands::Update>(std::move(submission->update))};
  dispatch({submission->channel, user, {}, delivery, true, std::move(update)});
  return InboundAnswer::nothing();
}

InboundAnswer SlackInbound::event(const json::object& callback) {
  if (json_string_at(callback, {"type"}) != "event_callback") return InboundAnswer::nothing();
  const std::string event_id = json_string_at(callback, {"event_id"});
  if (json_string_at(callback, {"event", "type"}) != "app_mention" || event_id.empty()) return InboundAnswer::nothing();
  // "<@UBOT> INC-3 status": what follows the mention is the command.
  std::string text = slack_unescape(json_string_at(callback, {"event", "text"}));
  if (text.starts_with("<@")) text = text.substr(std::min(text.size(), text.find('>') + 1));
  dispatch({json_string_at(callback, {"event", "channel"}), json_string_at(callback, {"event", "user"}), text,
            "slack:event:" + event_id, true});
  return InboundAnswer::nothing();
}

}  // namespace incident_bot::bot
