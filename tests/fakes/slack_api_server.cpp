#include "fakes/slack_api_server.hpp"

#include "fakes/self_signed_cert.hpp"
#include "fakes/slack_workspace.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace incident_bot::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
namespace ssl = asio::ssl;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto redirect = [](error_code& ec) { return asio::redirect_error(asio::use_awaitable, ec); };

struct Script {
  enum class Kind { rate_limited, http_status, error, json, delayed, dropped } kind;
  int remaining = 1;
  std::chrono::seconds retry_after{0};
  int status = 500;
  std::string error;
  json::object body;
  std::chrono::milliseconds delay{0};
};

struct Answer {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::string retry_after;
  std::chrono::milliseconds delay{0};
  bool dropped = false;  // the connection is closed instead
};

Answer json_answer(json::object body) { return {200, json::serialize(body)}; }
Answer ok_answer(const json::object& fields) {
  json::object body{{"ok", true}};
  for (const auto& field : fields) body.insert(field);
  return json_answer(std::move(body));
}
Answer error_answer(std::string_view error) { return json_answer({{"ok", false}, {"error", error}}); }

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

}  // namespace

std::string RecordedCall::header(const std::string& lowercase_name) const {
  const auto found = headers.find(lowercase_name);
  return found == headers.end() ? std::string() : found->second;
}

std::string RecordedCall::arg(const std::string& name) const {
  if (!body.is_object()) return {};
  const auto* field = body.as_object().if_contains(name);
  return field && field->is_string() ? std::string(field->as_string()) : std::string();
}

struct SlackApiServer::Impl {
  SlackApiServerOptions options;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<RecordedCall> calls;
  std::map<std::string, std::deque<Script>, std::less<>> scripts;
  SlackWorkspace workspace;
  int bookmarks_added = 0;
  int views_opened = 0;
  std::string socket_mode_url = "wss://127.0.0.1:1/link/?ticket=fake";

  ssl::context tls{ssl::context::tls_server};
  std::string ca_file;
  std::uint16_t port = 0;
  // Declared last and reset first: destroying it destroys the suspended sessions while the
  // state above still exists.
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
  std::thread thread;

  explicit Impl(SlackApiServerOptions server_options);
  ~Impl();

  void add_script(std::string method, Script script);
  Answer record_and_answer(const http::request<http::string_body>& request, const std::string& sni);
  Answer scripted_or_default(const RecordedCall& call);  // the mutex is held
  Answer default_answer(const RecordedCall& call);  // the mutex is held

  asio::awaitable<void> accept_loop(tcp::acceptor acceptor);
  asio::awaitable<void> connection(tcp::socket socket);
  template <class Stream>
  asio::awaitable<void> serve(Stream& stream, std::string sni);
};

SlackApiServer::Impl::Impl(SlackApiServerOptions server_options) : options(std::move(server_options)) {
  if (options.tls) ca_file = serve_as_localhost(tls, "incident-bot-fake-slack");
  tcp::acceptor acceptor(*io, {asio::ip::make_address(options.bind_address), 0});
  port = acceptor.local_endpoint().port();
  asio::co_spawn(*io, accept_loop(std::move(acceptor)), [](std::exception_ptr) {});
  thread = std::thread([this] { io->run(); });
}

SlackApiServer::Impl::~Impl() {
  io->stop();
  thread.join();
  io.reset();
  if (!ca_file.empty()) std::remove(ca_file.c_str());
}

asio::awaitable<void> SlackApiServer::Impl::accept_loop(tcp::acceptor acceptor) {
  for (;;) {
    error_code ec;
    auto socket = co_await acceptor.async_accept(redirect(ec));
    if (ec) co_return;
    asio::co_spawn(*io, connection(std::move(socket)), [](std::exception_ptr) {});
  }
}

asio::awaitable<void> SlackApiServer::Impl::connection(tcp::socket socket) {
  beast::tcp_stream tcp_stream(std::move(socket));
  if (!options.tls) {
    co_await serve(tcp_stream, "");
    co_return;
  }
  beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), tls);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
  error_code ec;
  co_await stream.async_handshake(ssl::stream_base::server, redirect(ec));
  if (ec) co_return;  // e.g. the client refused the certificate
  const char* server_name = SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
  co_await serve(stream, server_name ? server_name : "");
}

template <class Stream>
asio::awaitable<void> SlackApiServer::Impl::serve(Stream& stream, std::string sni) {
  beast::flat_buffer buffer;
  error_code ec;
  for (;;) {
    http::request<http::string_body> request;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    co_await http::async_read(stream, buffer, request, redirect(ec));
    if (ec) break;
    const auto answer = record_and_answer(request, sni);
    if (answer.dropped) break;
    if (answer.delay.count() > 0) {
      asio::steady_timer timer(*io, answer.delay);
      co_await timer.async_wait(redirect(ec));
    }
    http::response<http::string_body> response{static_cast<http::status>(answer.status), request.version()};
    response.set(http::field::server, "incident-bot-fake-slack");
    response.set(http::field::content_type, answer.content_type);
    if (!answer.retry_after.empty()) response.set(http::field::retry_after, answer.retry_after);
    response.body() = answer.body;
    response.keep_alive(request.keep_alive());
    response.prepare_payload();
    co_await http::async_write(stream, response, redirect(ec));
    if (ec || !response.keep_alive()) break;
  }
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  beast::get_lowest_layer(stream).socket().close(ec);
}

Answer SlackApiServer::Impl::record_and_answer(const http::request<http::string_body>& request,
                                               const std::string& sni) {
  RecordedCall call;
  const std::string_view target = request.target();
  call.target = std::string(target);
  const auto path = target.substr(0, target.find('?'));
  call.method = std::string(path.substr(path.rfind('/') + 1));
  call.http_method = std::string(request.method_string());
  for (const auto& field : request) call.headers[lowercase(field.name_string())] = std::string(field.value());
  call.raw_body = request.body();
  error_code ec;
  call.body = json::parse(call.raw_body, ec);
  if (ec) call.body = nullptr;
  call.sni = sni;
  call.received_at = std::chrono::steady_clock::now();

  std::lock_guard lock(mutex);
  auto answer = scripted_or_default(call);
  call.status = answer.dropped ? 0 : answer.status;
  calls.push_back(std::move(call));
  changed.notify_all();
  return answer;
}

Answer SlackApiServer::Impl::scripted_or_default(const RecordedCall& call) {
  if (auto found = scripts.find(call.method); found != scripts.end() && !found->second.empty()) {
    auto& script = found->second.front();
    Answer answer;
    switch (script.kind) {
      case Script::Kind::rate_limited:
        answer = error_answer("ratelimited");
        answer.status = 429;
        answer.retry_after = std::to_string(script.retry_after.count());
        break;
      case Script::Kind::http_status:
        answer = {script.status, "fake server error\n", "text/plain"};
        break;
      case Script::Kind::error: answer = error_answer(script.error); break;
      case Script::Kind::json: answer = json_answer(script.body); break;
      case Script::Kind::delayed:
        answer = default_answer(call);
        answer.delay = script.delay;
        break;
      case Script::Kind::dropped:
        answer = default_answer(call);
        answer.dropped = true;
        break;
    }
    if (--script.remaining == 0) found->second.pop_front();
    return answer;
  }
  return default_answer(call);
}

Answer SlackApiServer::Impl::default_answer(const RecordedCall& call) {
  const auto authorization = call.header("authorization");
  if (authorization.empty()) return error_answer("not_authed");
  if (!options.token.empty() && call.method != "apps.connections.open" && authorization != "Bearer " + options.token)
    return error_answer("invalid_auth");

  const auto& method = call.method;
  const auto channel = call.arg("channel");
  const json::object args = call.body.is_object() ? call.body.as_object() : json::object();
  if (method == "chat.postMessage") return json_answer(workspace.post_message(args));
  if (method == "chat.postEphemeral") return ok_answer({{"message_ts", workspace.next_ts()}});
  if (method == "chat.update") return json_answer(workspace.update_message(args));
  if (method == "conversations.create") return json_answer(workspace.create_channel(args));
  if (method == "conversations.history") return json_answer(workspace.history(args));
  if (method == "conversations.list") return json_answer(workspace.list(args));
  if (method == "conversations.open") return json_answer(workspace.open(args));
  if (method == "conversations.members") return json_answer(workspace.members(args));
  // Members are kept for the channels the workspace knows; an invitation to any other is answered as before.
  if (method == "conversations.invite") workspace.invite(args);
  if (method == "conversations.join") workspace.join(args);
  if (method == "conversations.invite" || method == "conversations.join" || method == "conversations.setTopic")
    return ok_answer({{"channel", {{"id", channel}, {"topic", {{"value", call.arg("topic")}}}}}});
  if (method == "pins.add") return ok_answer({});
  if (method == "bookmarks.add")
    return ok_answer({{"bookmark",
                       {{"id", "Bk" + std::to_string(++bookmarks_added)},
                        {"channel_id", call.arg("channel_id")},
                        {"title", call.arg("title")},
                        {"link", call.arg("link")},
                        {"type", "link"}}}});
  if (method == "users.info") {
    const auto user = call.arg("user");
    if (user.empty()) return error_answer("user_not_found");
    const auto name = lowercase(user);
    return ok_answer({{"user",
                       {{"id", user},
                        {"name", name},
                        {"real_name", "User " + user},
                        {"tz", "UTC"},
                        {"is_bot", false},
                        {"deleted", false},
                        {"profile", {{"display_name", name}, {"real_name", "User " + user}}}}}});
  }
  if (method == "views.open") return ok_answer({{"view", {{"id", "V" + std::to_string(++views_opened)}}}});
  if (method == "auth.test") return ok_answer({{"team_id", "T1"}, {"user_id", "UBOT"}, {"bot_id", "B1"}});
  if (method == "apps.connections.open") return ok_answer({{"url", socket_mode_url}});
  return error_answer("unknown_method");
}

void SlackApiServer::Impl::add_script(std::string method, Script script) {
  if (script.remaining <= 0) return;
  std::lock_guard lock(mutex);
  scripts[std::move(method)].push_back(std::move(script));
}

SlackApiServer::SlackApiServer(SlackApiServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
SlackApiServer::~SlackApiServer() = default;

std::uint16_t SlackApiServer::port() const { return impl_->port; }

std::string SlackApiServer::url() const {
  const auto& address = impl_->options.bind_address;
  const auto host = address.find(':') == std::string::npos ? address : "[" + address + "]";
  return std::string(impl_->options.tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->port) +
         impl_->options.path_prefix;
}

std::string SlackApiServer::ca_file() const { return impl_->ca_file; }

void SlackApiServer::answer_rate_limited(std::string method, int count, std::chrono::seconds retry_after) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::rate_limited, .remaining = count, .retry_after = retry_after});
}

void SlackApiServer::answer_http_status(std::string method, int count, int status) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::http_status, .remaining = count, .status = status});
}

void SlackApiServer::answer_error(std::string method, int count, std::string error) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::error, .remaining = count, .error = std::move(error)});
}

void SlackApiServer::answer_json(std::string method, int count, json::object body) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::json, .remaining = count, .body = std::move(body)});
}

void SlackApiServer::answer_delayed(std::string method, int count, std::chrono::milliseconds delay) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::delayed, .remaining = count, .delay = delay});
}

void SlackApiServer::answer_dropped(std::string method, int count) {
  impl_->add_script(std::move(method), {.kind = Script::Kind::dropped, .remaining = count});
}

void SlackApiServer::add_foreign_channel(std::string name, std::string id) {
  std::lock_guard lock(impl_->mutex);
  impl_->workspace.add_foreign_channel(std::move(name), std::move(id));
}

void SlackApiServer::add_member(const std::string& channel_id, std::string user_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->workspace.add_member(channel_id, std::move(user_id));
}

void SlackApiServer::set_socket_mode_url(std::string url) {
  std::lock_guard lock(impl_->mutex);
  impl_->socket_mode_url = std::move(url);
}

std::vector<json::object> SlackApiServer::messages_in(std::string_view channel_id) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->workspace.messages_in(channel_id);
}

std::string SlackApiServer::direct_channel_of(std::string_view user_id) const {
  std::lock_guard lock(impl_->mutex);
  return impl_->workspace.direct_channel_of(user_id);
}

std::vector<RecordedCall> SlackApiServer::calls() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->calls;
}

std::vector<RecordedCall> SlackApiServer::calls(std::string_view method) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<RecordedCall> matching;
  for (const auto& call : impl_->calls)
    if (call.method == method) matching.push_back(call);
  return matching;
}

std::size_t SlackApiServer::count(std::string_view method) const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<std::size_t>(std::count_if(impl_->calls.begin(), impl_->calls.end(),
                                                [&](const auto& call) { return call.method == method; }));
}

bool SlackApiServer::wait_for_calls(std::string_view method, std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(impl_->calls.begin(), impl_->calls.end(),
                                                  [&](const auto& call) { return call.method == method; })) >= count;
  });
}

void SlackApiServer::clear() {
  std::lock_guard lock(impl_->mutex);
  impl_->calls.clear();
  impl_->scripts.clear();
  impl_->workspace.clear();
}

}  // namespace incident_bot::fakes
