#pragma once
// A small HTTP/1.1 server on Beast: one coroutine per connection, bounded in number, in time and in size.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace incident_bot::bot {

using ServerRequest = boost::beast::http::request<boost::beast::http::string_body>;
using ServerResponse = boost::beast::http::response<boost::beast::http::string_body>;
// Handlers run on the io_context's one thread, so they may use the store without locks.
using ServerHandler = std::function<ServerResponse(const ServerRequest&)>;

// An answer that may come later (after a group commit): the first call answers, later ones are ignored.
// When the last copy goes unanswered, or fail() is called, the client gets a 500 and a fresh connection.
class Responder {
 public:
  using Deliver = std::function<void(std::optional<ServerResponse>)>;
  explicit Responder(Deliver deliver);
  void operator()(ServerResponse response) const;
  void fail() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};
using DeferredHandler = std::function<void(const ServerRequest&, Responder)>;
// A handler that answers at once, as a deferred one.
DeferredHandler answering_at_once(ServerHandler handler);

struct HttpServerOptions {
  std::size_t body_limit = 64 * 1024;
  std::size_t max_connections = 512;                 // beyond it a new connection is answered 503 and closed
  std::chrono::milliseconds idle_timeout{10'000};    // a connection waiting for its (next) request
  std::chrono::milliseconds header_timeout{10'000};  // from a request's first byte to the end of its header
  std::chrono::milliseconds body_timeout{30'000};    // reading the body; writing the answer has as long
  // Out of descriptors (EMFILE, ENFILE, ...): accepting waits this long, doubling up to accept_pause_most.
  std::chrono::milliseconds accept_pause_first{50};
  std::chrono::milliseconds accept_pause_most{1'000};
};

ServerResponse plain_response(boost::beast::http::status status, std::string body);
ServerResponse json_response(std::string body);

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, DeferredHandler handler,
             std::shared_ptr<spdlog::logger> logger, HttpServerOptions options = {});
  HttpServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ServerHandler handler,
             std::shared_ptr<spdlog::logger> logger, HttpServerOptions options = {});
  unsigned short port() const;
  void stop();

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace incident_bot::bot
