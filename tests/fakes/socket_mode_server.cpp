#include "fakes/socket_mode_server.hpp"

#include "fakes/self_signed_cert.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace incident_bot::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto redirect = [](error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); };

// One accepted WebSocket, driven from the server's one thread.
struct Peer {
  virtual ~Peer() = default;
  virtual void write(std::string text) = 0;
  virtual void ping() = 0;
  virtual void drop() = 0;
  virtual void silence() = 0;
};

struct Record {
  std::shared_ptr<Peer> peer;
  bool open = true;
  std::string target, user_agent, sni;
  int pings = 0;
};

}  // namespace

struct SocketModeServer::Impl {
  SocketModeServerOptions options;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::map<int, Record> records;
  std::vector<ReceivedAck> acks;
  std::vector<std::string> others;
  int tickets = 0;

  ssl::context tls{ssl::context::tls_server};
  std::string ca_file;
  std::uint16_t port = 0;
  // Declared last and reset first: the suspended sessions go while the state above exists.
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
  std::thread thread;

  explicit Impl(SocketModeServerOptions server_options);
  ~Impl();

  asio::awaitable<void> accept_loop(tcp::acceptor acceptor);
  asio::awaitable<void> connection(tcp::socket socket);
  template <class Stream>
  asio::awaitable<void> session(std::shared_ptr<Stream> stream, std::string sni);

  int opened(std::shared_ptr<Peer> peer, const http::request<http::string_body>& request, std::string sni);
  void received(int number, std::string text);
  void closed(int number);
  void on_peer(int number, std::function<void(Peer&)> action);
  Record record(int number) const {  // a copy; a connection never seen is closed and empty
    std::lock_guard lock(mutex);
    const auto found = records.find(number);
    return found == records.end() ? Record{nullptr, false} : found->second;
  }
  template <class Predicate>
  bool wait(std::chrono::milliseconds timeout, Predicate predicate) const {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, predicate);
  }
};

namespace {

template <class Stream>
class PeerOn final : public Peer, public std::enable_shared_from_this<PeerOn<Stream>> {
 public:
  explicit PeerOn(std::shared_ptr<Stream> stream) : stream_(std::move(stream)) {}

  void write(std::string text) override {
    if (silent_) return;
    queue_.push_back(std::move(text));
    if (queue_.size() > 1) return;
    asio::co_spawn(stream_->get_executor(), write_all(this->shared_from_this()), [](std::exception_ptr) {});
  }
  void ping() override {
    if (!silent_) stream_->async_ping({}, [](error_code) {});
  }
  void drop() override {
    error_code ignored;
    beast::get_lowest_layer(*stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
    beast::get_lowest_layer(*stream_).socket().close(ignored);
  }
  void silence() override {
    silent_ = true;
    error_code ignored;
    beast::get_lowest_layer(*stream_).socket().cancel(ignored);
  }
  bool silent() const { return silent_; }

 private:
  static asio::awaitable<void> write_all(std::shared_ptr<PeerOn> self) {
    while (!self->queue_.empty() && !self->silent_) {
      error_code ec;
      self->stream_->text(true);
      co_await self->stream_->async_write(asio::buffer(self->queue_.front()), redirect(ec));
      self->queue_.pop_front();
      if (ec) break;
    }
    self->queue_.clear();
  }

  std::shared_ptr<Stream> stream_;
  std::deque<std::string> queue_;
  bool silent_ = false;
};

}  // namespace

SocketModeServer::Impl::Impl(SocketModeServerOptions server_options) : options(server_options) {
  if (options.tls) ca_file = serve_as_localhost(tls, "incident-bot-fake-socket-mode");
  tcp::acceptor acceptor(*io, {asio::ip::make_address("127.0.0.1"), 0});
  port = acceptor.local_endpoint().port();
  asio::co_spawn(*io, accept_loop(std::move(acceptor)), [](std::exception_ptr) {});
  thread = std::thread([this] { io->run(); });
}

SocketModeServer::Impl::~Impl() {
  io->stop();
  thread.join();
  records.clear();
  io.reset();
  if (!ca_file.empty()) std::remove(ca_file.c_str());
}

asio::awaitable<void> SocketModeServer::Impl::accept_loop(tcp::acceptor acceptor) {
  for (;;) {
    error_code ec;
    auto socket = co_await acceptor.async_accept(redirect(ec));
    if (ec) co_return;
    asio::co_spawn(*io, connection(std::move(socket)), [](std::exception_ptr) {});
  }
}

asio::awaitable<void> SocketModeServer::Impl::connection(tcp::socket socket) {
  if (!options.tls) {
    co_await session(std::make_shared<websocket::stream<beast::tcp_stream>>(std::move(socket)), "");
    co_return;
  }
  auto stream = std::make_shared<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(std::move(socket), tls);
  beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
  error_code ec;
  co_await stream->next_layer().async_handshake(ssl::stream_base::server, redirect(ec));
  if (ec) co_return;  // e.g. the client refused the certificate
  const char* server_name = SSL_get_servername(stream->next_layer().native_handle(), TLSEXT_NAMETYPE_host_name);
  co_await session(stream, server_name ? server_name : "");
}

template <class Stream>
asio::awaitable<void> SocketModeServer::Impl::session(std::shared_ptr<Stream> stream, std::string sni) {
  error_code ec;
  beast::flat_buffer buffer;
  http::request<http::string_body> request;
  beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(10));
  co_await http::async_read(stream->next_layer(), buffer, request, redirect(ec));
  if (ec || !websocket::is_upgrade(request)) co_return;
  beast::get_lowest_layer(*stream).expires_never();
  co_await stream->async_accept(request, redirect(ec));
  if (ec) co_return;
  auto peer = std::make_shared<PeerOn<Stream>>(stream);
  const int number = opened(peer, request, std::move(sni));
  stream->control_callback([this, number](websocket::frame_type kind, beast::string_view) {
    if (kind != websocket::frame_type::ping) return;
    std::lock_guard lock(mutex);
    ++records[number].pings;
    changed.notify_all();
  });
  if (options.hello_on_connect) {
    std::lock_guard lock(mutex);
    const auto open = std::count_if(records.begin(), records.end(), [](const auto& entry) { return entry.second.open; });
    peer->write(json::serialize(json::object{
        {"type", "hello"},
        {"num_connections", open},
        {"debug_info", {{"host", "fake-applink"}, {"approximate_connection_time", 18060}}},
        {"connection_info", {{"app_id", "A0FAKE"}}}}));
  }
  for (;;) {
    buffer.clear();
    co_await stream->async_read(buffer, redirect(ec));
    if (ec) break;
    received(number, beast::buffers_to_string(buffer.data()));
  }
  if (!peer->silent()) closed(number);  // a silent peer keeps its socket open until the end
}

int SocketModeServer::Impl::opened(std::shared_ptr<Peer> peer, const http::request<http::string_body>& request,
                                   std::string sni) {
  std::lock_guard lock(mutex);
  const int number = static_cast<int>(records.size()) + 1;
  records[number] = Record{std::move(peer), true, std::string(request.target()),
                           std::string(request[http::field::user_agent]), std::move(sni), 0};
  changed.notify_all();
  return number;
}

void SocketModeServer::Impl::received(int number, std::string text) {
  error_code ec;
  const json::value message = json::parse(text, ec);
  std::lock_guard lock(mutex);
  const auto* envelope_id = !ec && message.is_object() ? message.as_object().if_contains("envelope_id") : nullptr;
  if (envelope_id && envelope_id->is_string()) {
    const auto* payload = message.as_object().if_contains("payload");
    acks.push_back({number, std::string(envelope_id->as_string()), payload ? *payload : json::value(), text});
  } else {
    others.push_back(std::move(text));
  }
  changed.notify_all();
}

void SocketModeServer::Impl::closed(int number) {
  std::lock_guard lock(mutex);
  records[number].open = false;
  changed.notify_all();
}

void SocketModeServer::Impl::on_peer(int number, std::function<void(Peer&)> action) {
  asio::post(*io, [this, number, action = std::move(action)] {
    std::shared_ptr<Peer> peer;
    {
      std::lock_guard lock(mutex);
      if (const auto found = records.find(number); found != records.end() && found->second.open) peer = found->second.peer;
    }
    if (peer) action(*peer);
  });
}

SocketModeServer::SocketModeServer(SocketModeServerOptions options) : impl_(std::make_unique<Impl>(options)) {}
SocketModeServer::~SocketModeServer() = default;

std::uint16_t SocketModeServer::port() const { return impl_->port; }
std::string SocketModeServer::ca_file() const { return impl_->ca_file; }

std::string SocketModeServer::url() const {
  std::lock_guard lock(impl_->mutex);
  return std::string(impl_->options.tls ? "wss" : "ws") + "://127.0.0.1:" + std::to_string(impl_->port) +
         "/link/?ticket=fake-ticket-" + std::to_string(++impl_->tickets) + "&app_id=A0FAKE";
}

int SocketModeServer::connections() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<int>(impl_->records.size());
}

bool SocketModeServer::wait_for_connection(int number, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] { return static_cast<int>(impl_->records.size()) >= number; });
}

bool SocketModeServer::is_open(int number) const { return impl_->record(number).open; }

bool SocketModeServer::wait_closed(int number, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    const auto found = impl_->records.find(number);
    return found != impl_->records.end() && !found->second.open;
  });
}

std::string SocketModeServer::target(int number) const { return impl_->record(number).target; }
std::string SocketModeServer::user_agent(int number) const { return impl_->record(number).user_agent; }
std::string SocketModeServer::sni(int number) const { return impl_->record(number).sni; }
int SocketModeServer::pings(int number) const { return impl_->record(number).pings; }

bool SocketModeServer::wait_for_pings(int number, int count, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    const auto found = impl_->records.find(number);
    return found != impl_->records.end() && found->second.pings >= count;
  });
}

void SocketModeServer::send_text(int number, std::string text) {
  impl_->on_peer(number, [text = std::move(text)](Peer& peer) { peer.write(text); });
}

void SocketModeServer::send_hello(int number) {
  send_text(number, R"({"type":"hello","num_connections":1,"debug_info":{"host":"fake-applink"}})");
}

void SocketModeServer::send_disconnect(int number, std::string reason) {
  send_text(number, json::serialize(json::object{{"type", "disconnect"}, {"reason", reason}, {"debug_info", {{"host", "fake-applink"}}}}));
}

void SocketModeServer::send_envelope(int number, std::string envelope_id, std::string type, json::object payload,
                                     bool accepts_response_payload, int retry_attempt) {
  json::object envelope{{"envelope_id", envelope_id}, {"type", type}, {"payload", std::move(payload)},
                        {"accepts_response_payload", accepts_response_payload}};
  if (retry_attempt > 0) {
    envelope["retry_attempt"] = retry_attempt;
    envelope["retry_reason"] = "timeout";
  }
  send_text(number, json::serialize(envelope));
}

void SocketModeServer::ping(int number) { impl_->on_peer(number, [](Peer& peer) { peer.ping(); }); }
void SocketModeServer::drop(int number) { impl_->on_peer(number, [](Peer& peer) { peer.drop(); }); }
void SocketModeServer::go_silent(int number) { impl_->on_peer(number, [](Peer& peer) { peer.silence(); }); }

std::vector<ReceivedAck> SocketModeServer::acks() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->acks;
}

std::vector<ReceivedAck> SocketModeServer::acks(std::string_view envelope_id) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<ReceivedAck> matching;
  for (const auto& ack : impl_->acks)
    if (ack.envelope_id == envelope_id) matching.push_back(ack);
  return matching;
}

bool SocketModeServer::wait_for_acks(std::string_view envelope_id, std::size_t count,
                                     std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] {
    return static_cast<std::size_t>(std::count_if(impl_->acks.begin(), impl_->acks.end(), [&](const auto& ack) {
             return ack.envelope_id == envelope_id;
           })) >= count;
  });
}

bool SocketModeServer::wait_for_ack_count(std::size_t count, std::chrono::milliseconds timeout) const {
  return impl_->wait(timeout, [&] { return impl_->acks.size() >= count; });
}

std::vector<std::string> SocketModeServer::other_messages() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->others;
}

json::object slash_command_payload(const std::string& text, const std::string& trigger_id, const std::string& channel,
                                   const std::string& user) {
  return {{"token", "deprecated"}, {"team_id", "T0TEAM"}, {"team_domain", "acme"}, {"channel_id", channel},
          {"channel_name", "general"}, {"user_id", user}, {"user_name", "someone"}, {"command", "/incident"},
          {"text", text}, {"api_app_id", "A0FAKE"}, {"is_enterprise_install", "false"},
          {"response_url", "https://hooks.slack.test/commands/1"}, {"trigger_id", trigger_id}};
}

json::object app_mention_payload(const std::string& event_id, const std::string& text, const std::string& channel,
                                 const std::string& user) {
  return {{"token", "deprecated"}, {"team_id", "T0TEAM"}, {"api_app_id", "A0FAKE"}, {"type", "event_callback"},
          {"event_id", event_id}, {"event_time", 1795000000},
          {"event", {{"type", "app_mention"}, {"user", user}, {"channel", channel}, {"text", text}, {"ts", "1795000000.000100"}}}};
}

}  // namespace incident_bot::fakes
