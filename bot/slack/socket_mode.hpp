#pragma once
// Slack Socket Mode: the bot dials out (apps.connections.open, then the WebSocket), acks every
// envelope once with SlackInbound's answer, keeps the link alive, replaces it when Slack asks
// or when it drops, and stops the bot when Slack says it never will work (link_disabled, an
// app token refused). An envelope that fails is left unacked for Slack to deliver again, except
// a slash command (never redelivered): that one is acked with an ephemeral "run it again".
#include "bot/slack/api.hpp"
#include "bot/slack/inbound.hpp"
#include "bot/slack/socket_mode_protocol.hpp"

#include <boost/asio/io_context.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace incident_bot::bot {

// Timings that are not configuration: tests shorten them.
struct SocketModeTuning {
  std::chrono::milliseconds ping_interval{5'000};     // the bot pings this often
  std::chrono::milliseconds silence_timeout{15'000};  // no pong, ping or message for this long: replaced
  std::chrono::milliseconds hello_timeout{30'000};    // a connection without hello by then: replaced
  std::chrono::milliseconds connect_timeout{10'000};  // TCP and TLS; the WebSocket handshake again
  std::chrono::milliseconds backoff_base{1'000};      // reconnects wait 1 s, 2 s, 4 s …
  std::chrono::milliseconds backoff_cap{30'000};      // … never longer, jitter taking up to a quarter
};

struct SocketModeOptions {
  std::string app_token;  // SLACK_APP_TOKEN (xapp-…): only ever in apps.connections.open's header
  std::string ca_file;    // tls.ca_file, trusted beside the system store for wss://
  SocketModeTuning tuning;
};

// An envelope's payload handed to SlackInbound by its type (slash_commands, interactive, events_api);
// `answer` hears what to ack with, an empty ack for a type the bot does not handle.
void answer_envelope(SlackInbound& inbound, const SocketEnvelope& envelope, AnswerInbound answer);

class SocketMode {
 public:
  // `api` calls apps.connections.open; `on_fatal` is told, once, why Socket Mode gave up.
  SocketMode(boost::asio::io_context& io, SlackApi& api, SlackInbound& inbound, SocketModeOptions options,
             std::shared_ptr<spdlog::logger> logger, std::function<void(std::string)> on_fatal);
  ~SocketMode();
  SocketMode(const SocketMode&) = delete;
  SocketMode& operator=(const SocketMode&) = delete;

  void start();
  void stop();  // on the io thread: closes every connection; nothing reconnects afterwards

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace incident_bot::bot
