#pragma once
// Slack over HTTP: signed slash commands, interactivity and events, turned into Invocations.
#include "bot/dispatcher.hpp"
#include "bot/http_server.hpp"
#include "bot/router.hpp"

#include <boost/json/object.hpp>

#include <functional>

namespace incident_bot::bot {

struct SlackHttpOptions {
  std::string signing_secret;
  std::function<Timestamp()> clock;
  // Opens a modal; runs the Web API call in the background so the ack is never held up.
  std::function<void(std::string trigger_id, boost::json::object view)> open_view;
  // Posts are waiting in the outbox.
  std::function<void()> posts_waiting;
};

class SlackHttp {
 public:
  SlackHttp(Dispatcher& dispatcher, SQLite::Database& db, SlackHttpOptions options,
            std::shared_ptr<spdlog::logger> logger);

  void add_routes(Router& router);

  ServerResponse commands(const ServerRequest& request);
  ServerResponse interactivity(const ServerRequest& request);
  ServerResponse events(const ServerRequest& request);

 private:
  // Empty when the request is signed by Slack; otherwise the 401 to answer.
  std::optional<ServerResponse> refuse_unsigned(const ServerRequest& request);
  Reply dispatch(Invocation invocation);
  ServerResponse block_action(const boost::json::object& payload);
  ServerResponse view_submission(const boost::json::object& payload);

  Dispatcher& dispatcher_;
  SQLite::Database& db_;
  SlackHttpOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
};

// The JSON Slack expects back from a slash command.
std::string slack_command_reply(const Reply& reply);
// Slack escapes & < > in the text it sends; mentions arrive as <@U…> and stay.
std::string slack_unescape(std::string_view text);

}  // namespace incident_bot::bot
