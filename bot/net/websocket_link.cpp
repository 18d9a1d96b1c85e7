#include "bot/net/websocket_link.hpp"

#include "bot/net/tls_client.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>
#include <deque>
#include <type_traits>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using boost::system::error_code;
using steady = std::chrono::steady_clock;

namespace {

constexpr auto redirect = [](error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); };
using Strand = asio::strand<asio::io_context::executor_type>;
using PlainStream = websocket::stream<beast::tcp_stream>;
using TlsStream = websocket::stream<beast::ssl_stream<beast::tcp_stream>>;

template <class Stream>
class Link final : public WebSocketLink, public std::enable_shared_from_this<Link<Stream>> {
 public:
  template <class... Layers>
  Link(Strand strand, WebSocketLinkOptions options, Layers&... layers)
      : strand_(strand), stream_(strand, layers...), options_(options), keep_alive_(strand) {}

  asio::awaitable<error_code> handshake(const Url& url);

  void start(Handlers handlers) override {
    asio::dispatch(strand_, [self = this->shared_from_this(), handlers = std::move(handlers)]() mutable {
      self->handlers_ = std::move(handlers);
      self->last_heard_ = steady::now();
      asio::co_spawn(self->strand_, self->read_loop(), [self](std::exception_ptr failure) { self->failed(failure); });
      asio::co_spawn(self->strand_, self->keep_alive(), [self](std::exception_ptr failure) { self->failed(failure); });
    });
  }
  void send(std::string text) override { enqueue({Outgoing::message, std::move(text)}); }
  void close() override { enqueue({Outgoing::close, {}}); }
  void drop() override {
    asio::dispatch(strand_, [self = this->shared_from_this()] { self->cut("dropped by the bot"); });
  }

 private:
  struct Outgoing {
    enum Kind { message, ping, close } kind;
    std::string text;
  };

  void enqueue(Outgoing outgoing) {
    asio::dispatch(strand_, [self = this->shared_from_this(), outgoing = std::move(outgoing)]() mutable {
      self->push(std::move(outgoing));
    });
  }

  void push(Outgoing outgoing) {  // on the strand
    if (ended_ || closing_) return;
    closing_ = outgoing.kind == Outgoing::close;
    queue_.push_back(std::move(outgoing));
    if (writing_) return;
    writing_ = true;
    auto self = this->shared_from_this();
    asio::co_spawn(strand_, write_queue(), [self](std::exception_ptr failure) { self->failed(failure); });
  }

  // The one writer: the queue is drained in order, one frame at a time.
  asio::awaitable<void> write_queue() {
    auto self = this->shared_from_this();
    while (!queue_.empty() && !ended_) {
      Outgoing next = std::move(queue_.front());
      queue_.pop_front();
      error_code ec;
      if (next.kind == Outgoing::message) {
        stream_.text(true);
        co_await stream_.async_write(asio::buffer(next.text), redirect(ec));
      } else if (next.kind == Outgoing::ping) {
        co_await stream_.async_ping({}, redirect(ec));
      } else {
        if (why_.empty()) why_ = "closed by the bot";
        co_await stream_.async_close(websocket::close_code::normal, redirect(ec));
      }
      if (ec) cut("write failed: " + ec.message());
    }
    writing_ = false;
  }

  asio::awaitable<void> read_loop() {
    auto self = this->shared_from_this();
    beast::flat_buffer buffer;
    error_code ec;
    for (;;) {
      co_await stream_.async_read(buffer, redirect(ec));
      if (ec) break;
      last_heard_ = steady::now();
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      if (handlers_.on_message) handlers_.on_message(std::move(text));
    }
    if (why_.empty()) {
      if (ec == websocket::error::closed) {
        const auto& reason = stream_.reason();
        why_ = "closed by the peer (code " + std::to_string(reason.code) +
               (reason.reason.empty() ? std::string() : ", " + std::string(reason.reason.data(), reason.reason.size())) + ")";
      } else {
        why_ = ec.message();
      }
    }
    end();
  }

  asio::awaitable<void> keep_alive() {
    auto self = this->shared_from_this();
    error_code ec;
    while (!ended_) {
      keep_alive_.expires_after(options_.ping_interval);
      co_await keep_alive_.async_wait(redirect(ec));
      if (ended_) break;
      const auto silent = std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - last_heard_);
      if (silent >= options_.silence_timeout) {
        cut("nothing heard for " + std::to_string(silent.count()) + " ms");
        break;
      }
      const bool ping_waiting = std::any_of(queue_.begin(), queue_.end(), [](const Outgoing& queued) {
        return queued.kind == Outgoing::ping;
      });
      if (!ping_waiting) push({Outgoing::ping, {}});  // a slow writer never piles pings up
    }
  }

  // Cutting the TCP connection ends the pending read; the read loop then reports why.
  void cut(std::string why) {
    if (ended_) return;
    if (why_.empty()) why_ = std::move(why);
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(stream_).close();
  }

  void end() {
    if (ended_) return;
    ended_ = true;
    queue_.clear();
    keep_alive_.cancel();
    beast::get_lowest_layer(stream_).close();
    auto on_closed = std::move(handlers_.on_closed);
    handlers_ = {};
    if (on_closed) on_closed(why_);
  }

  void failed(std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      cut(std::string("internal error: ") + error.what());
    }
    end();  // whichever coroutine failed, the owner hears of the end once
  }

  Strand strand_;
  Stream stream_;
  WebSocketLinkOptions options_;
  asio::steady_timer keep_alive_;
  Handlers handlers_;
  std::deque<Outgoing> queue_;
  bool writing_ = false;
  bool closing_ = false;
  bool ended_ = false;
  std::string why_;
  steady::time_point last_heard_ = steady::now();
};

template <class Stream>
asio::awaitable<error_code> Link<Stream>::handshake(const Url& url) {
  error_code ec;
  const auto deadline = steady::now() + options_.connect_timeout;
  const auto endpoints = co_await resolve_until(strand_, url, deadline, ec);
  if (ec) co_return ec;
  auto& tcp = beast::get_lowest_layer(stream_);
  tcp.expires_at(deadline);
  co_await tcp.async_connect(endpoints, redirect(ec));
  if (ec) co_return ec;
  if constexpr (std::is_same_v<Stream, TlsStream>) {
    if ((ec = prepare_tls_client(stream_.next_layer(), url.host))) co_return ec;
    co_await stream_.next_layer().async_handshake(asio::ssl::stream_base::client, redirect(ec));
    if (ec) co_return ec;
  }
  tcp.expires_never();  // from here the WebSocket's own timeouts apply
  websocket::stream_base::timeout timeouts{options_.connect_timeout, websocket::stream_base::none(), false};
  stream_.set_option(timeouts);
  stream_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
    request.set(beast::http::field::user_agent, "incident-bot/" INCIDENT_BOT_VERSION);
  }));
  stream_.read_message_max(options_.max_message);
  stream_.control_callback([this](websocket::frame_type, beast::string_view) { last_heard_ = steady::now(); });
  co_await stream_.async_handshake(url.host_header(), url.target, redirect(ec));
  co_return ec;
}

template <class Stream, class... Layers>
asio::awaitable<OpenedLink> open_as(Strand strand, const Url& url, WebSocketLinkOptions options, Layers&... layers) {
  auto link = std::make_shared<Link<Stream>>(strand, options, layers...);
  if (const auto ec = co_await link->handshake(url)) co_return OpenedLink{nullptr, ec};
  co_return OpenedLink{std::move(link), {}};
}

}  // namespace

asio::awaitable<OpenedLink> open_websocket(asio::io_context& io, asio::ssl::context& tls, Url url,
                                           WebSocketLinkOptions options) {
  auto strand = asio::make_strand(io);
  if (url.scheme == "wss") co_return co_await open_as<TlsStream>(strand, url, options, tls);
  if (url.scheme == "ws") co_return co_await open_as<PlainStream>(strand, url, options);
  co_return OpenedLink{nullptr, asio::error::make_error_code(asio::error::operation_not_supported)};
}

}  // namespace incident_bot::bot
