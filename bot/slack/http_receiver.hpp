#pragma once
// Slack over HTTP: signed slash commands, interactivity and events, handed to SlackInbound.
#include "bot/net/http_server.hpp"
#include "bot/net/refusal_log.hpp"
#include "bot/net/router.hpp"
#include "bot/slack/inbound.hpp"

#include <functional>

namespace incident_bot::bot {

struct SlackHttpOptions {
  std::string signing_secret;
  std::function<Timestamp()> clock;
};

class SlackHttp {
 public:
  SlackHttp(SlackInbound& inbound, SlackHttpOptions options, std::shared_ptr<spdlog::logger> logger);

  void add_routes(Router& router);

  // Each answers once the command it carries is committed.
  void commands(const ServerRequest& request, Responder respond);
  void interactivity(const ServerRequest& request, Responder respond);
  void events(const ServerRequest& request, Responder respond);

 private:
  // Empty when the request is signed by Slack; otherwise the 401 to answer.
  std::optional<ServerResponse> refuse_unsigned(const ServerRequest& request);

  SlackInbound& inbound_;
  SlackHttpOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  RefusalLog refusals_;
};

}  // namespace incident_bot::bot
