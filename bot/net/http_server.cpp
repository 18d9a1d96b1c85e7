#include "bot/net/http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <array>
#include <atomic>

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

// Failures that more attempts cannot cure until descriptors or memory come free: accepting waits before trying again.
bool out_of_resources(const boost::system::error_code& ec) {
  return ec == asio::error::no_descriptors || ec == boost::system::errc::too_many_files_open_in_system ||
         ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

// A run of like events (failed accepts, refused connections) is logged at its start and its end, not each time.
class Burst {
 public:
  bool starts() {
    if (count_++ > 0) return false;
    started_ = std::chrono::steady_clock::now();
    return true;
  }
  bool ongoing() const { return count_ > 0; }
  std::size_t count() const { return count_; }
  long long elapsed_ms() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count();
  }
  void end() { count_ = 0; }

 private:
  std::size_t count_ = 0;
  std::chrono::steady_clock::time_point started_;
};

// Holds one place among a server's connections for as long as it lives.
class Occupied {
 public:
  explicit Occupied(std::atomic<std::size_t>& count) : count_(count) {}
  Occupied(const Occupied&) = delete;
  Occupied& operator=(const Occupied&) = delete;
  ~Occupied() { --count_; }

 private:
  std::atomic<std::size_t>& count_;
};

// Connections being refused at once: past this many, a new one is closed without its 503.
constexpr std::size_t max_refusing = 64;
// The first read of a request: Beast's parser reads on from the buffer.
constexpr std::size_t first_read_size = 4096;

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
      : io(io), acceptor(io, endpoint), accept_pause(io), handler(std::move(handler)), logger(std::move(logger)),
        options(options) {}

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    auto pause = options.accept_pause_first;
    while (acceptor.is_open()) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io), use_tuple);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        const bool resources = out_of_resources(ec);
        if (failed_accepts.starts())
          logger->warn("http accept failed: {}; {}logged once until an accept succeeds", ec.message(),
                       resources ? fmt::format("waiting {} ms, doubling up to {} ms, between attempts; ", pause.count(),
                                               options.accept_pause_most.count())
                                 : std::string());
        if (!resources) continue;
        // Out of descriptors the listening socket stays readable: without a wait this loop would spin.
        accept_pause.expires_after(pause);
        co_await accept_pause.async_wait(use_tuple);
        pause = std::min(pause * 2, options.accept_pause_most);
        continue;
      }
      pause = options.accept_pause_first;
      if (failed_accepts.ongoing()) {
        logger->info("http accepting again after {} failed attempts in {} ms", failed_accepts.count(),
                     failed_accepts.elapsed_ms());
        failed_accepts.end();
      }
      admit(std::move(socket));
    }
  }

  void admit(tcp::socket socket) {
    if (open_connections >= options.max_connections) {
      if (refused_connections.starts())
        logger->warn("http: {} connections open (http.max_connections); new ones are answered 503 until one closes",
                     options.max_connections);
      if (refusing >= max_refusing) return;  // the socket closes here
      ++refusing;
      asio::co_spawn(socket.get_executor(), refuse_busy(beast::tcp_stream(std::move(socket))),
                     log_escaped(logger, "refusal"));
      return;
    }
    if (refused_connections.ongoing()) {
      logger->info("http accepting connections again after refusing {} in {} ms", refused_connections.count(),
                   refused_connections.elapsed_ms());
      refused_connections.end();
    }
    ++open_connections;
    asio::co_spawn(socket.get_executor(), serve(beast::tcp_stream(std::move(socket))), log_escaped(logger, "connection"));
  }

  // Over max_connections: a short 503 rather than a silent reset, and the connection closed.
  asio::awaitable<void> refuse_busy(beast::tcp_stream stream) {
    auto self = shared_from_this();
    const Occupied place(refusing);
    ServerResponse response = plain_response(http::status::service_unavailable, "too many connections, try again later\n");
    response.keep_alive(false);
    response.prepare_payload();
    stream.expires_after(options.header_timeout);  // one deadline for the answer and the drain after it
    auto [ec, written] = co_await http::async_write(stream, response, use_tuple);
    if (ec) co_return;
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
    // Closing with the request unread would reset the connection, and the client might never read the 503.
    std::array<char, 1024> discarded;
    while (true) {
      auto [read_ec, bytes] = co_await stream.async_read_some(asio::buffer(discarded), use_tuple);
      if (read_ec) break;
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
    stream.expires_after(options.body_timeout);
    co_await http::async_write(stream, response, use_tuple);
  }

  // Waits up to idle_timeout for a request's first byte; false when the client closed or stayed silent.
  asio::awaitable<bool> request_begins(beast::tcp_stream& stream, beast::flat_buffer& buffer) {
    if (buffer.size() > 0) co_return true;  // pipelined: the next request is already here
    stream.expires_after(options.idle_timeout);
    auto [ec, bytes] = co_await stream.async_read_some(buffer.prepare(first_read_size), use_tuple);
    buffer.commit(bytes);
    co_return !ec;
  }

  // The header within header_timeout, then the body within body_timeout.
  asio::awaitable<beast::error_code> read_request(beast::tcp_stream& stream, beast::flat_buffer& buffer,
                                                  http::request_parser<http::string_body>& parser) {
    stream.expires_after(options.header_timeout);
    auto [ec, header_bytes] = co_await http::async_read_header(stream, buffer, parser, use_tuple);
    if (ec || parser.is_done()) co_return ec;
    stream.expires_after(options.body_timeout);
    auto [body_ec, body_bytes] = co_await http::async_read(stream, buffer, parser, use_tuple);
    co_return body_ec;
  }

  asio::awaitable<void> serve(beast::tcp_stream stream) {
    auto self = shared_from_this();
    const Occupied place(open_connections);
    beast::flat_buffer buffer;
    while (co_await request_begins(stream, buffer)) {
      http::request_parser<http::string_body> parser;
      parser.body_limit(options.body_limit);
      const beast::error_code ec = co_await read_request(stream, buffer, parser);
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
  asio::steady_timer accept_pause;
  DeferredHandler handler;
  std::shared_ptr<spdlog::logger> logger;
  HttpServerOptions options;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<std::size_t> refusing{0};
  Burst failed_accepts;       // touched by the accept loop only
  Burst refused_connections;  // likewise
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
  state_->accept_pause.cancel();
}

}  // namespace incident_bot::bot
