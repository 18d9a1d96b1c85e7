#include "bot/net/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// The target without its query string: the query may carry a token, so it never reaches a log line.
std::string_view route_path(std::string_view target) { return target.substr(0, target.find('?')); }

// A co_spawn completion: an exception that escapes a coroutine is logged rather than lost.
auto log_escaped(std::shared_ptr<spdlog::logger> logger, std::string what) {
  return [logger = std::move(logger), what = std::move(what)](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      logger->error("http {} ended by an exception: {}", what, error.what());
    } catch (...) {
      logger->error("http {} ended by an exception of unknown type", what);
    }
  };
}

// The refusal states the limit this server was given, not always the default 64 KiB.
std::string too_large_text(std::size_t body_limit) {
  if (body_limit % 1024 == 0) return "request body over " + std::to_string(body_limit / 1024) + " KiB\n";
  return "request body over " + std::to_string(body_limit) + " bytes\n";
}

}  // namespace

struct Responder::State {
  Deliver deliver;
  bool answered = false;
  ~State() {
    if (!answered && deliver) deliver(std::nullopt);
  }
};

Responder::Responder(Deliver deliver) : state_(std::make_shared<State>()) { state_->deliver = std::move(deliver); }

void Responder::operator()(ServerResponse response) const {
  if (state_->answered) return;
  state_->answered = true;
  state_->deliver(std::move(response));
}

void Responder::fail() const {
  if (state_->answered) return;
  state_->answered = true;
  state_->deliver(std::nullopt);
}

DeferredHandler answering_at_once(ServerHandler handler) {
  return [handler = std::move(handler)](const ServerRequest& request, Responder respond) { respond(handler(request)); };
}

ServerResponse plain_response(http::status status, std::string body) {
  ServerResponse response{status, 11};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.body() = std::move(body);
  return response;
}

ServerResponse json_response(std::string body) {
  ServerResponse response{http::status::ok, 11};
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.body() = std::move(body);
  return response;
}

struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
  State(asio::io_context& io, const tcp::endpoint& endpoint, DeferredHandler handler, std::shared_ptr<spdlog::logger> logger,
        HttpServerOptions options)
      : io(io), acceptor(io, endpoint), handler(std::move(handler)), logger(std::move(logger)), options(options) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
      if (ec) {
        if (ec == asio::error::operation_aborted) co_return;
        logger->warn("http accept failed: {}", ec.message());
        continue;
      }
      asio::co_spawn(socket.get_executor(), serve(beast::tcp_stream(std::move(socket))),
                     log_escaped(logger, "connection"));
    }
  }

  // A handler's exception becomes a 500 at the connection instead of a silently dropped socket;
  // the log line names method and path only, since headers, query and body may hold secrets.
  void start_answer(const ServerRequest& request, Responder respond) {
    const auto method = request.method_string();
    const auto path = route_path(request.target());
    try {
      handler(request, respond);
      return;
    } catch (const std::exception& error) {
      logger->error("http {} {}: handler failed: {}", std::string_view(method), path, error.what());
    } catch (...) {
      logger->error("http {} {}: handler failed with an exception of unknown type", std::string_view(method), path);
    }
    respond.fail();
  }

  // Resumes on the connection's executor once the handler answers, now or after a commit.
  template <typename Token>
  auto async_answer(const ServerRequest& request, Token&& token) {
    return asio::async_initiate<Token, void(std::optional<ServerResponse>)>(
        [this, &request](auto completion) {
          auto executor = asio::get_associated_executor(completion);
          auto shared = std::make_shared<decltype(completion)>(std::move(completion));
          Responder respond([shared, executor](std::optional<ServerResponse> response) {
            asio::post(executor, [shared, response = std::move(response)]() mutable { std::move(*shared)(std::move(response)); });
          });
          start_answer(request, std::move(respond));
        },
        token);
  }

  asio::awaitable<void> respond(beast::tcp_stream& stream, ServerResponse response, bool keep_alive) {
    response.keep_alive(keep_alive);
    response.prepare_payload();
    stream.expires_after(options.read_timeout);
    co_await http::async_write(stream, response, use_tuple);
  }

  asio::awaitable<void> serve(beast::tcp_stream stream) {
    auto self = shared_from_this();
    beast::flat_buffer buffer;
    while (true) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.body_limit);
      stream.expires_after(options.read_timeout);
      auto [ec, bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::connection_reset ||
          ec == asio::error::eof)
        break;
      if (ec == http::error::body_limit) {
        co_await respond(stream, plain_response(http::status::payload_too_large, too_large_text(options.body_limit)),
                         false);
        break;
      }
      if (ec) {
        if (ec.category() == http::make_error_code(http::error::bad_target).category())
          co_await respond(stream, plain_response(http::status::bad_request, "malformed HTTP request\n"), false);
        break;
      }
      const ServerRequest request = parser.release();
      std::optional<ServerResponse> response = co_await async_answer(request, asio::use_awaitable);
      // After a failure the handler's state is unknown: the client gets a fresh connection next time.
      const bool keep_alive = response && request.keep_alive();
      if (!response) response = plain_response(http::status::internal_server_error, "internal error\n");
      response->version(request.version());
      co_await respond(stream, std::move(*response), keep_alive);
      if (!keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::io_context& io;
  tcp::acceptor acceptor;
  DeferredHandler handler;
  std::shared_ptr<spdlog::logger> logger;
  HttpServerOptions options;
};

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, DeferredHandler handler,
                       std::shared_ptr<spdlog::logger> logger, HttpServerOptions options)
    : state_(std::make_shared<State>(io, endpoint, std::move(handler), std::move(logger), options)) {
  asio::co_spawn(io, state_->accept_loop(), log_escaped(state_->logger, "accept loop"));
}

HttpServer::HttpServer(asio::io_context& io, const tcp::endpoint& endpoint, ServerHandler handler,
                       std::shared_ptr<spdlog::logger> logger, HttpServerOptions options)
    : HttpServer(io, endpoint, answering_at_once(std::move(handler)), std::move(logger), options) {}

unsigned short HttpServer::port() const { return state_->acceptor.local_endpoint().port(); }

void HttpServer::stop() {
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
}

}  // namespace incident_bot::bot
