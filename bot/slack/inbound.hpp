#pragma once
// What Slack sends, however it arrives (HTTP or Socket Mode), turned into Invocations for the
// dispatcher, and what to answer: one place for slash commands, interactivity and events.
#include "bot/core/channel_members.hpp"
#include "bot/core/dispatcher.hpp"
#include "bot/core/group_commit.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace incident_bot::bot {

struct SlackInboundOptions {
  std::function<Timestamp()> clock;
  // Opens a modal; runs the Web API call in the background so the ack is never held up.
  std::function<void(std::string trigger_id, boost::json::object view)> open_view;
  // Posts are waiting in the outbox.
  std::function<void()> posts_waiting;
  // Who is in the private incidents' channels; null: nobody is asked, and only role holders and declarers see them.
  ChannelMembers* members = nullptr;
};

// A slash command's fields, as Slack names them (a form over HTTP, a JSON payload over Socket Mode).
struct SlashCommand {
  std::string channel_id;
  std::string user_id;
  std::string text;  // as Slack sent it, with & < > escaped
  std::string trigger_id;
};

// What the transport answers: an empty ack, a JSON body (the ack's payload over Socket Mode),
// a refusal of a malformed request (HTTP 400; a bare ack over Socket Mode), or a command that was not
// committed (HTTP 500; over Socket Mode no ack, or "run it again" for a slash command).
struct InboundAnswer {
  enum class Kind { empty, body, malformed, failed };
  Kind kind = Kind::empty;
  boost::json::object body;
  std::string problem;

  static InboundAnswer nothing() { return {}; }
  static InboundAnswer json(boost::json::object body) { return {Kind::body, std::move(body), {}}; }
  static InboundAnswer refused(std::string problem) { return {Kind::malformed, {}, std::move(problem)}; }
  static InboundAnswer failure(std::string problem) { return {Kind::failed, {}, std::move(problem)}; }
};
// Called once: at once, or when the batch holding the command has committed.
using AnswerInbound = std::function<void(InboundAnswer)>;

class SlackInbound {
 public:
  SlackInbound(Dispatcher& dispatcher, SQLite::Database& db, GroupCommit& commits, SlackInboundOptions options,
               std::shared_ptr<spdlog::logger> logger);

  // The reply as {"response_type", "text", "blocks"}; a bare "update" opens the modal instead.
  void command(const SlashCommand& command, AnswerInbound answer);
  // block_actions (the card's buttons) and view_submission (the update modal).
  void interaction(const boost::json::object& payload, AnswerInbound answer);
  // An event_callback; an app_mention is a command. Its event_id is the delivery id.
  void event(const boost::json::object& callback, AnswerInbound answer);

 private:
  // Through the group commit, once the user's memberships are known; `answer` hears the reply once it is durable.
  void dispatch(Invocation invocation, std::function<InboundAnswer(const Reply&)> reply_as, AnswerInbound answer);
  // The invocation with the private incident channels its user is in (learned), then `then`.
  void with_memberships(Invocation invocation, std::function<void(Invocation)> then);
  void block_action(const boost::json::object& payload, AnswerInbound answer);
  void view_submission(const boost::json::object& payload, AnswerInbound answer);

  Dispatcher& dispatcher_;
  SQLite::Database& db_;
  GroupCommit& commits_;
  SlackInboundOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
};

// The JSON Slack expects back from a slash command.
boost::json::object slack_command_body(const Reply& reply);
std::string slack_command_reply(const Reply& reply);
// Slack escapes & < > in the text it sends; mentions arrive as <@U…> and stay.
std::string slack_unescape(std::string_view text);
// A string at a path of object keys; "" when absent or not a string.
std::string json_string_at(const boost::json::object& object, std::initializer_list<std::string_view> path);

}  // namespace incident_bot::bot
