#include "bot/slack/inbound.hpp"

#include "bot/core/declare_form.hpp"
#include "bot/slack/modal.hpp"
#include "bot/slack/translator.hpp"
#include "workflows/broadcasts.hpp"
#include "store/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <cctype>

namespace incident_bot::bot {

namespace json = boost::json;

namespace {

// "update" or "INC-12 update" with nothing else: the modal, rather than a usage error. A linear scan,
// not a regex: libstdc++'s matcher recurses per character, and a long run of spaces overflowed the stack.
std::optional<std::optional<std::int64_t>> bare_update(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  const auto skip_spaces = [&](std::size_t at) {
    while (at < text.size() && is_space(text[at])) ++at;
    return at;
  };
  const auto word_at = [&](std::size_t at, std::string_view word) {
    if (text.size() - at < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[at + i])) != word[i]) return false;
    return true;
  };
  std::size_t at = skip_spaces(0);
  std::optional<std::int64_t> number;
  if (word_at(at, "inc-")) {
    const std::size_t digits = at + 4;
    std::size_t end = digits;
    while (end < text.size() && end - digits < 13 && text[end] >= '0' && text[end] <= '9') ++end;
    if (end == digits || end - digits > 12 || end >= text.size() || !is_space(text[end])) return std::nullopt;
    std::int64_t value = 0;
    std::from_chars(text.data() + digits, text.data() + end, value);
    number = value;
    at = skip_spaces(end);
  }
  if (!word_at(at, "update")) return std::nullopt;
  if (skip_spaces(at + 6) != text.size()) return std::nullopt;
  return number;
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
                    {"text", markup::disarm_broadcasts(reply.text)}};
  boost::system::error_code ec;
  if (json::value blocks = json::parse(reply.blocks, ec); !ec && blocks.is_array()) {
    disarm_block_broadcasts(blocks);
    body["blocks"] = std::move(blocks);
  }
  return body;
}

std::string slack_command_reply(const Reply& reply) { return json::serialize(slack_command_body(reply)); }

SlackInbound::SlackInbound(Dispatcher& dispatcher, SQLite::Database& db, GroupCommit& commits,
                           SlackInboundOptions options, std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher), db_(db), commits_(commits), options_(std::move(options)), logger_(std::move(logger)) {}

void SlackInbound::with_memberships(Invocation invocation, std::function<void(Invocation)> then) {
  if (!options_.members) return then(std::move(invocation));
  options_.members->learn(std::move(invocation), std::move(then));
}

void SlackInbound::dispatch(Invocation invocation, std::function<InboundAnswer(const Reply&)> reply_as,
                            AnswerInbound answer) {
  with_memberships(std::move(invocation), [this, reply_as = std::move(reply_as), answer = std::move(answer)](Invocation learned) {
    auto reply = std::make_shared<Reply>();
    const Timestamp now = options_.clock();
    commits_.submit(
        [this, reply, invocation = std::move(learned), now] { *reply = dispatcher_.handle_in_transaction(invocation, now); },
        [this, reply, reply_as, answer](std::exception_ptr failure) {
          if (failure) return answer(InboundAnswer::failure(describe_failure(failure)));
          if (options_.posts_waiting) options_.posts_waiting();
          answer(reply_as(*reply));
        });
  });
}

namespace {

InboundAnswer as_command_reply(const Reply& reply) { return InboundAnswer::json(slack_command_body(reply)); }
InboundAnswer as_nothing(const Reply&) { return InboundAnswer::nothing(); }

}  // namespace

void SlackInbound::command(const SlashCommand& command, AnswerInbound answer) {
  if (command.channel_id.empty() || command.user_id.empty())
    return answer(InboundAnswer::refused("channel_id and user_id are required"));
  const std::string text = slack_unescape(command.text);
  const std::string& trigger = command.trigger_id;

  if (opens_declare_form(text) && !trigger.empty() && options_.open_view) {
    options_.open_view(trigger, declare_modal(dispatcher_.policy(), command.channel_id));
    return answer(InboundAnswer::nothing());
  }
  if (const auto update = bare_update(text); update && !trigger.empty() && options_.open_view) {
    // Addressed as "status" would be: the same incident, seen by the same people.
    const std::string probe_text = (*update ? incident_id(**update) + " " : std::string()) + "status";
    Invocation probe{command.channel_id, command.user_id, probe_text, {}};
    return with_memberships(std::move(probe), [this, update, trigger, answer = std::move(answer)](Invocation learned) {
      auto addressed = dispatcher_.address(learned, *update);
      if (auto* refusal = std::get_if<workflows::AddressRefusal>(&addressed))
        return answer(
            InboundAnswer::json(slack_command_body({workflows::Visibility::ephemeral, refusal->text, {}, ReplyKind::refused})));
      const Incident& incident = std::get<Incident>(addressed);
      options_.open_view(trigger, update_modal(incident, dispatcher_.policy().layers, learned.channel));
      answer(InboundAnswer::nothing());
    });
  }
  const std::string delivery = trigger.empty() ? std::string{} : "slack:command:" + trigger;
  dispatch({command.channel_id, command.user_id, text, delivery}, as_command_reply, std::move(answer));
}

void SlackInbound::interaction(const json::object& payload, AnswerInbound answer) {
  const std::string type = json_string_at(payload, {"type"});
  if (type == "block_actions") return block_action(payload, std::move(answer));
  if (type == "view_submission") return view_submission(payload, std::move(answer));
  answer(InboundAnswer::nothing());
}

void SlackInbound::block_action(const json::object& payload, AnswerInbound answer) {
  const auto* actions = payload.if_contains("actions");
  if (!actions || !actions->is_array() || actions->as_array().empty() || !actions->as_array()[0].is_object())
    return answer(InboundAnswer::refused("block_actions without actions"));
  const auto& action = actions->as_array()[0].as_object();
  const std::string action_id = json_string_at(action, {"action_id"});
  const std::string value = json_string_at(action, {"value"});
  const std::string user = json_string_at(payload, {"user", "id"});
  const std::string channel = json_string_at(payload, {"channel", "id"});
  const std::string trigger = json_string_at(payload, {"trigger_id"});
  std::int64_t number = 0;
  const auto [end, parse_error] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (parse_error != std::errc() || number <= 0 || user.empty())
    return answer(InboundAnswer::refused("action without an incident or a user"));

  if (action_id == "post_update") {
    if (!options_.open_view || trigger.empty()) return answer(InboundAnswer::nothing());
    Invocation probe{channel, user, incident_id(number) + " status", {}};
    return with_memberships(std::move(probe), [this, number, trigger, answer = std::move(answer)](Invocation learned) {
      const auto addressed = dispatcher_.address(learned, number);
      if (const auto* incident = std::get_if<Incident>(&addressed))
        options_.open_view(trigger, update_modal(*incident, dispatcher_.policy().layers, learned.channel));
      answer(InboundAnswer::nothing());
    });
  }
  if (action_id == "take_comms") {
    const std::string delivery = trigger.empty() ? std::string{} : "slack:action:" + trigger;
    return dispatch({channel, user, incident_id(number) + " role comms <@" + user + ">", delivery, true}, as_nothing,
                    std::move(answer));
  }
  answer(InboundAnswer::nothing());
}

void SlackInbound::view_submission(const json::object& payload, AnswerInbound answer) {
  const auto* view = payload.if_contains("view");
  if (!view || !view->is_object()) return answer(InboundAnswer::refused("view_submission without a view"));
  const std::string user = json_string_at(payload, {"user", "id"});
  const std::string trigger = json_string_at(payload, {"trigger_id"});
  const std::string delivery = trigger.empty() ? std::string{} : "slack:view:" + trigger;
  // A field the grammar refuses keeps the modal open with the error under that field; nothing is dispatched.
  const auto keep_open = [&](json::object errors) {
    answer(InboundAnswer::json({{"response_action", "errors"}, {"errors", std::move(errors)}}));
  };
  if (auto submission = update_from_submission(view->as_object())) {
    if (const auto* refused = std::get_if<commands::UpdateFieldError>(&submission->update))
      return keep_open(update_modal_errors(*refused));
    commands::Parsed update{submission->incident, std::get<commands::Update>(std::move(submission->update))};
    return dispatch({submission->channel, user, {}, delivery, true, std::move(update)}, as_nothing, std::move(answer));
  }
  if (auto submission = declare_from_submission(view->as_object(), dispatcher_.policy())) {
    if (const auto* refused = std::get_if<commands::DeclareFieldError>(&submission->declare))
      return keep_open(declare_modal_errors(*refused));
    commands::Parsed declare{std::nullopt, std::get<commands::Declare>(std::move(submission->declare))};
    return dispatch({submission->channel, user, {}, delivery, true, std::move(declare)}, as_nothing, std::move(answer));
  }
  answer(InboundAnswer::nothing());
}

void SlackInbound::event(const json::object& callback, AnswerInbound answer) {
  if (json_string_at(callback, {"type"}) != "event_callback") return answer(InboundAnswer::nothing());
  const std::string event_id = json_string_at(callback, {"event_id"});
  if (json_string_at(callback, {"event", "type"}) != "app_mention" || event_id.empty())
    return answer(InboundAnswer::nothing());
  // "<@UBOT> INC-3 status": what follows the mention is the command.
  std::string text = slack_unescape(json_string_at(callback, {"event", "text"}));
  if (text.starts_with("<@")) text = text.substr(std::min(text.size(), text.find('>') + 1));
  dispatch({json_string_at(callback, {"event", "channel"}), json_string_at(callback, {"event", "user"}), text,
            "slack:event:" + event_id, true},
           as_nothing, std::move(answer));
}

}  // namespace incident_bot::bot
