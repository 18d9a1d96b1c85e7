#pragma once
// One client WebSocket (ws:// or wss://) on its own strand. Every write — messages, the bot's
// pings, the close — goes through one queue, so no two writes ever overlap. The bot pings every
// ping_interval; a link that hears nothing (no pong, no ping, no message) for silence_timeout
// is dropped.
#include "bot/net/url.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace incident_bot::bot {

struct WebSocketLinkOptions {
  std::chrono::milliseconds connect_timeout{10'000};  // resolve, TCP, TLS; then the WebSocket handshake; the close
  std::chrono::milliseconds ping_interval{5'000};
  std::chrono::milliseconds silence_timeout{15'000};
  std::size_t max_message = 4 * 1024 * 1024;
};

class WebSocketLink {
 public:
  struct Handlers {
    std::function<void(std::string text)> on_message;  // each text message, on the link's strand
    std::function<void(std::string why)> on_closed;    // once, on the strand, after the last message
  };

  virtual ~WebSocketLink() = default;

  virtual void start(Handlers handlers) = 0;  // reads, keeps alive; call once
  virtual void send(std::string text) = 0;    // queued behind earlier writes; from any thread
  virtual void close() = 0;                   // a close frame after the queued writes
  virtual void drop() = 0;                    // the TCP connection is cut at once
};

struct OpenedLink {
  std::shared_ptr<WebSocketLink> link;  // null when ec is set
  boost::system::error_code ec;
};

// Connects to a ws:// or wss:// URL: wss is verified against `tls` (SNI, host-name check).
// The link's strand is a new strand of `io`.
boost::asio::awaitable<OpenedLink> open_websocket(boost::asio::io_context& io, boost::asio::ssl::context& tls,
                                                  Url url, WebSocketLinkOptions options);

}  // namespace incident_bot::bot
