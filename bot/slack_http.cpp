#include "bot/slack_http.hpp"

#include "bot/form.hpp"
#include "bot/slack_modal.hpp"
#include "bot/slack_signature.hpp"
#include "store/store.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/json.hpp>

#include <charconv>
#include <regex>

namespace incident_bot::bot {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

ServerResponse bad_request(std::string reason) { return plain_response(http::status::bad_request, std::move(reason) + "\n"); }
ServerResponse empty_ok() { return plain_response(http::status::ok, ""); }

std::string string_at(const json::object& object, std::initializer_list<std::string_view> path) {
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

// "update" or "INC-12 update" with nothing else: the modal, rather than a usage error.
std::optional<std::optional<std::int64_t>> bare_update(std::string_view text) {
  static const std::regex pattern(R"(^\s*(?:[Ii][Nn][Cc]-(\d{1,12})\s+)?[Uu][Pp][Dd][Aa][Tt][Ee]\s*$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, pattern)) return std::nullopt;
  if (!match[1].matched) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{std::stoll(match[1].str())};
}

}  // namespace

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

std::string slack_command_reply(const Reply& reply) {
  json::object body{{"response_type", reply.visibility == workflows::Visibility::in_channel ? "in_channel" : "ephemeral"},
                    {"text", reply.text}};
  boost::system::error_code ec;
  if (json::value blocks = json::parse(reply.blocks, ec); !ec && blocks.is_array()) body["blocks"] = std::move(blocks);
  return json::serialize(body);
}

SlackHttp::SlackHttp(Dispatcher& dispatcher, SQLite::Database& db, SlackHttpOptions options,
                     std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher), db_(db), options_(std::move(options)), logger_(std::move(logger)) {}

void SlackHttp::add_routes(Router& router) {
  router.add(http::verb::post, "/slack/commands", [this](const ServerRequest& r) { return commands(r); });
  router.add(http::verb::post, "/slack/interactivity", [this](const ServerRequest& r) { return interactivity(r); });
  router.add(http::verb::post, "/slack/events", [this](const ServerRequest& r) { return events(r); });
}

std::optional<ServerResponse> SlackHttp::refuse_unsigned(const ServerRequest& request) {
  const std::string problem =
      slack_signature_problem(options_.signing_secret, request["X-Slack-Request-Timestamp"],
                              request["X-Slack-Signature"], request.body(), options_.clock());
  if (problem.empty()) return std::nullopt;
  logger_->warn("refused {}: {}", std::string(request.target()), problem);
  return plain_response(http::status::unauthorized, "invalid request signature: " + problem + "\n");
}

Reply SlackHttp::dispatch(Invocation invocation) {
  Reply reply = dispatcher_.handle(invocation, options_.clock());
  if (options_.posts_waiting) options_.posts_waiting();
  return reply;
}

ServerResponse SlackHttp::commands(const ServerRequest& request) {
  const auto fields = parse_form(request.body());
  if (fields && field(*fields, "ssl_check") == "1") return empty_ok();
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  if (!fields) return bad_request("malformed form body");
  const std::string channel = field(*fields, "channel_id");
  const std::string user = field(*fields, "user_id");
  if (channel.empty() || user.empty()) return bad_request("channel_id and user_id are required");
  const std::string text = slack_unescape(field(*fields, "text"));
  const std::string trigger = field(*fields, "trigger_id");

  if (const auto update = bare_update(text); update && !trigger.empty() && options_.open_view) {
    Invocation probe{channel, user, text, {}};
    auto addressed = dispatcher_.address(probe, *update);
    if (auto* refusal = std::get_if<std::string>(&addressed))
      return json_response(slack_command_reply({workflows::Visibility::ephemeral, *refusal}));
    const Incident& incident = std::get<Incident>(addressed);
    options_.open_view(trigger, update_modal(incident, dispatcher_.policy().layers, channel));
    return empty_ok();
  }
  const std::string delivery = trigger.empty() ? std::string{} : "slack:command:" + trigger;
  return json_response(slack_command_reply(dispatch({channel, user, text, delivery})));
}

ServerResponse SlackHttp::interactivity(const ServerRequest& request) {
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  const auto fields = parse_form(request.body());
  if (!fields || !fields->contains("payload")) return bad_request("expected a form with a payload field");
  boost::system::error_code ec;
  const json::value payload = json::parse(field(*fields, "payload"), ec);
  if (ec || !payload.is_object()) return bad_request("payload is not a JSON object");
  const std::string type = string_at(payload.as_object(), {"type"});
  if (type == "block_actions") return block_action(payload.as_object());
  if (type == "view_submission") return view_submission(payload.as_object());
  return empty_ok();
}

ServerResponse SlackHttp::block_action(const json::object& payload) {
  const auto* actions = payload.if_contains("actions");
  if (!actions || !actions->is_array() || actions->as_array().empty() || !actions->as_array()[0].is_object())
    return bad_request("block_actions without actions");
  const auto& action = actions->as_array()[0].as_object();
  const std::string action_id = string_at(action, {"action_id"});
  const std::string value = string_at(action, {"value"});
  const std::string user = string_at(payload, {"user", "id"});
  const std::string channel = string_at(payload, {"channel", "id"});
  const std::string trigger = string_at(payload, {"trigger_id"});
  std::int64_t number = 0;
  const auto [end, parse_error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (parse_error != std::errc() || number <= 0 || user.empty()) return bad_request("action without an incident or a user");

  if (action_id == "post_update") {
    const auto incident = store::load_incident(db_, number);
    if (incident && options_.open_view && !trigger.empty())
      options_.open_view(trigger, update_modal(*incident, dispatcher_.policy().layers, channel));
    return empty_ok();
  }
  if (action_id == "take_comms") {
    const std::string delivery = trigger.empty() ? std::string{} : "slack:action:" + trigger;
    Invocation invocation{channel, user, incident_id(number) + " role comms <@" + user + ">", delivery, true};
    dispatch(std::move(invocation));
  }
  return empty_ok();
}

ServerResponse SlackHttp::view_submission(const json::object& payload) {
  const auto* view = payload.if_contains("view");
  if (!view || !view->is_object()) return bad_request("view_submission without a view");
  const auto submission = update_from_submission(view->as_object());
  if (!submission) return empty_ok();
  const std::string user = string_at(payload, {"user", "id"});
  const std::string trigger = string_at(payload, {"trigger_id"});
  const std::string delivery = trigger.empty() ? std::string{} : "slack:view:" + trigger;
  const Reply reply = dispatch({submission->channel, user, submission->text, delivery, true});
  if (reply.visibility == workflows::Visibility::ephemeral && reply.text.find("usage:") != std::string::npos) {
    json::object errors{{"symptom", reply.text.substr(0, 150)}};
    return json_response(json::serialize(json::object{{"response_action", "errors"}, {"errors", std::move(errors)}}));
  }
  return empty_ok();
}

ServerResponse SlackHttp::events(const ServerRequest& request) {
  if (auto refusal = refuse_unsigned(request)) return std::move(*refusal);
  boost::system::error_code ec;
  const json::value body = json::parse(request.body(), ec);
  if (ec || !body.is_object()) return bad_request("body is not a JSON object");
  const auto& event_body = body.as_object();
  const std::string type = string_at(event_body, {"type"});
  if (type == "url_verification") {
    ServerResponse response = plain_response(http::status::ok, string_at(event_body, {"challenge"}));
    return response;
  }
  if (type != "event_callback") return empty_ok();
  const std::string event_id = string_at(event_body, {"event_id"});
  if (string_at(event_body, {"event", "type"}) != "app_mention" || event_id.empty()) return empty_ok();
  // "<@UBOT> INC-3 status": what follows the mention is the command.
  std::string text = slack_unescape(string_at(event_body, {"event", "text"}));
  if (text.starts_with("<@")) text = text.substr(std::min(text.size(), text.find('>') + 1));
  dispatch({string_at(event_body, {"event", "channel"}), string_at(event_body, {"event", "user"}), text,
            "slack:event:" + event_id, true});
  return empty_ok();
}

}  // namespace incident_bot::bot
