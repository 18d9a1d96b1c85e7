#include "fakes/mattermost_server.hpp"

#include "fakes/mattermost_team.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

namespace incident_bot::fakes {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

struct Script {
  int remaining = 1;
  int status = 500;
  std::chrono::seconds wait{0};
  bool reset_header = false;
  bool dropped = false;  // the default answer takes effect, then the connection is closed instead
};

struct Answer {
  int status = 200;
  json::value body;
  std::string retry_after;
  std::string reset;
  bool dropped = false;
};

Answer error_answer(int status, std::string id) {
  return {status, json::object{{"id", id}, {"message", "fake " + id}, {"status_code", status}}};
}

std::vector<std::string> segments(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.emplace_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// A non-negative number from a query string such as "page=0&per_page=60"; `fallback` when absent.
std::optional<std::size_t> query_number(std::string_view query, std::string_view name, std::size_t fallback) {
  for (std::size_t start = 0; start < query.size();) {
    auto end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    const auto pair = query.substr(start, end - start);
    if (pair.starts_with(name) && pair.size() > name.size() && pair[name.size()] == '=') {
      const auto number = pair.substr(name.size() + 1);
      if (number.empty() || number.size() > 9 || !std::all_of(number.begin(), number.end(), [](char c) { return std::isdigit(c); }))
        return std::nullopt;
      return static_cast<std::size_t>(std::stoul(std::string(number)));
    }
    start = end + 1;
  }
  return fallback;
}

bool looks_like_id(std::string_view text) {
  return text.size() == 26 && std::all_of(text.begin(), text.end(), [](char c) { return std::isdigit(c) || std::islower(c); });
}

}  // namespace

std::string mattermost_id(std::string_view stem, int number) {
  const std::string digits = std::to_string(number);
  std::string id(stem.substr(0, 26 - digits.size()));
  id += std::string(26 - id.size() - digits.size(), '0') + digits;
  return id;
}

std::string MattermostRequest::arg(const std::string& name) const {
  if (!body.is_object()) return {};
  const auto* value = body.as_object().if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

struct MattermostServer::Impl {
  MattermostServerOptions options;
  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::vector<MattermostRequest> requests;
  std::map<std::string, std::deque<Script>, std::less<>> scripts;
  std::map<std::string, std::string, std::less<>> users;     // id -> username
  MattermostTeam team{options.bot_id};
  std::map<std::string, std::string, std::less<>> headers;   // channel id -> header
  std::map<std::string, std::vector<std::string>, std::less<>> members;
  std::uint16_t port = 0;
  std::unique_ptr<asio::io_context> io = std::make_unique<asio::io_context>(1);
  std::thread thread;

  explicit Impl(MattermostServerOptions server_options) : options(std::move(server_options)) {
    users[options.bot_id] = options.bot_username;
    tcp::acceptor acceptor(*io, {asio::ip::make_address("127.0.0.1"), 0});
    port = acceptor.local_endpoint().port();
    asio::co_spawn(*io, accept_loop(std::move(acceptor)), [](std::exception_ptr) {});
    thread = std::thread([this] { io->run(); });
  }
  ~Impl() {
    io->stop();
    thread.join();
    io.reset();
  }

  asio::awaitable<void> accept_loop(tcp::acceptor acceptor) {
    for (;;) {
      error_code ec;
      auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      asio::co_spawn(*io, serve(beast::tcp_stream(std::move(socket))), [](std::exception_ptr) {});
    }
  }

  asio::awaitable<void> serve(beast::tcp_stream stream) {
    beast::flat_buffer buffer;
    error_code ec;
    for (;;) {
      http::request<http::string_body> request;
      stream.expires_after(std::chrono::seconds(30));
      co_await http::async_read(stream, buffer, request, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const Answer answer = record_and_answer(request);
      if (answer.dropped) break;
      http::response<http::string_body> response{static_cast<http::status>(answer.status), request.version()};
      response.set(http::field::content_type, "application/json");
      response.set("X-Ratelimit-Limit", "10");
      if (!answer.retry_after.empty()) response.set(http::field::retry_after, answer.retry_after);
      if (!answer.reset.empty()) response.set("X-Ratelimit-Reset", answer.reset);
      response.body() = json::serialize(answer.body);
      response.keep_alive(request.keep_alive());
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || !response.keep_alive()) break;
    }
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream.socket().close(ec);
  }

  Answer record_and_answer(const http::request<http::string_body>& request) {
    MattermostRequest recorded;
    const std::string_view target = request.target();
    std::string_view path = target.substr(0, target.find('?'));
    if (path.size() < target.size()) recorded.query = std::string(target.substr(path.size() + 1));
    if (path.starts_with("/api/v4")) path.remove_prefix(7);
    recorded.path = std::string(path);
    std::string call = std::string(request.method_string()) + " ";
    const auto parts = segments(path);
    for (std::size_t i = 0; i < parts.size(); ++i)
      call += "/" + (looks_like_id(parts[i]) ? std::string("{id}") : i > 0 && parts[i - 1] == "name" ? "{name}" : parts[i]);
    recorded.call = call;
    recorded.authorization = std::string(request[http::field::authorization]);
    recorded.content_type = std::string(request[http::field::content_type]);
    error_code ec;
    recorded.body = request.body().empty() ? json::value() : json::parse(request.body(), ec);
    if (ec) recorded.body = nullptr;
    recorded.received_at = std::chrono::steady_clock::now();

    std::lock_guard lock(mutex);
    const Answer answer = scripted_or_default(recorded, parts);
    recorded.status = answer.dropped ? 0 : answer.status;
    requests.push_back(std::move(recorded));
    changed.notify_all();
    return answer;
  }

  Answer scripted_or_default(const MattermostRequest& request, const std::vector<std::string>& parts) {
    if (auto found = scripts.find(request.call); found != scripts.end() && !found->second.empty()) {
      Script& script = found->second.front();
      if (script.dropped) {
        if (--script.remaining == 0) found->second.pop_front();
        Answer answer = default_answer(request, parts);
        answer.dropped = true;
        return answer;
      }
      Answer answer = error_answer(script.status, script.status == 429 ? "api.context.rate_limited" : "fake.server_error");
      if (script.status == 429) (script.reset_header ? answer.reset : answer.retry_after) = std::to_string(script.wait.count());
      if (--script.remaining == 0) found->second.pop_front();
      return answer;
    }
    return default_answer(request, parts);
  }

  // Mattermost's checks of a dialog (model.OpenDialogRequest.IsValid): a trigger, a URL, and elements within its limits.
  static Answer open_dialog(const MattermostRequest& request) {
    const auto invalid = [] { return error_answer(400, "api.context.invalid_body_param.app_error"); };
    if (request.arg("trigger_id").empty()) return error_answer(400, "interactive_message.decode_trigger_id.base64_decode_failed");
    if (!request.arg("url").starts_with("http")) return invalid();
    const auto* dialog = request.body.is_object() ? request.body.as_object().if_contains("dialog") : nullptr;
    if (!dialog || !dialog->is_object()) return invalid();
    const auto text = [](const json::object& object, std::string_view key) {
      const auto* value = object.if_contains(key);
      return value && value->is_string() ? std::string(value->as_string()) : std::string();
    };
    const auto& form = dialog->as_object();
    const std::string title = text(form, "title");
    const auto* elements = form.if_contains("elements");
    if (title.empty() || title.size() > 24 || !elements || !elements->is_array()) return invalid();
    for (const auto& value : elements->as_array()) {
      if (!value.is_object()) return invalid();
      const auto& element = value.as_object();
      const std::string type = text(element, "type");
      const std::string label = text(element, "display_name");
      if (text(element, "name").empty() || label.empty() || label.size() > 24 || text(element, "placeholder").size() > 150 ||
          text(element, "help_text").size() > 150)
        return invalid();
      const auto* max_length = element.if_contains("max_length");
      const std::int64_t longest = max_length && max_length->is_int64() ? max_length->as_int64() : 0;
      if (type == "text" && longest > 150) return invalid();
      if (type == "textarea" && longest > 3000) return invalid();
      if (type == "select" && !element.contains("options") && !element.contains("data_source")) return invalid();
      if (type != "text" && type != "textarea" && type != "select" && type != "bool" && type != "radio") return invalid();
    }
    return {200, json::object{{"status", "OK"}}};
  }

  Answer default_answer(const MattermostRequest& request, const std::vector<std::string>& parts) {
    if (request.authorization.empty() || (!options.token.empty() && request.authorization != "Bearer " + options.token))
      return error_answer(401, "api.context.session_expired.app_error");
    const std::string& call = request.call;
    if (call == "GET /users/me") return {200, json::object{{"id", options.bot_id}, {"username", options.bot_username}}};
    if (call == "GET /users/{id}") {
      const auto user = users.find(parts[1]);
      if (user == users.end()) return error_answer(404, "app.user.missing_account.const");
      return {200, json::object{{"id", user->first}, {"username", user->second}}};
    }
    if (call == "POST /channels") {
      const std::string name = request.arg("name");
      if (name.empty() || request.arg("team_id").empty()) return error_answer(400, "model.channel.is_valid.2_or_more.app_error");
      if (team.channel_named(name)) return error_answer(400, "store.sql_channel.save_channel.exists.app_error");
      const auto& channel = team.add_channel({.id = team.new_id("chan"),
                                              .name = name,
                                              .display_name = request.arg("display_name"),
                                              .type = request.arg("type"),
                                              .team_id = request.arg("team_id"),
                                              .creator_id = options.bot_id});
      return {201, MattermostTeam::described(channel)};
    }
    if (call == "GET /teams/{id}/channels/name/{name}") {
      const auto* channel = team.channel_named(parts[4]);
      if (!channel) return error_answer(404, "app.channel.get_by_name.missing.app_error");
      auto described = MattermostTeam::described(*channel);
      if (channel->team_id.empty()) described["team_id"] = parts[1];
      return {200, std::move(described)};
    }
    if (call == "GET /channels/{id}/posts") {
      if (!team.knows_channel(parts[1])) return error_answer(404, "app.channel.get.existing.app_error");
      const auto page = query_number(request.query, "page", 0);
      const auto per_page = query_number(request.query, "per_page", 60);
      if (!page || !per_page) return error_answer(400, "api.context.invalid_url_param.app_error");
      return {200, team.page_of_posts(parts[1], *page, std::min<std::size_t>(*per_page, 200))};
    }
    if (call == "POST /channels/{id}/members") {
      members[parts[1]].push_back(request.arg("user_id"));
      return {201, json::object{{"channel_id", parts[1]}, {"user_id", request.arg("user_id")}}};
    }
    if (call == "GET /channels/{id}/members") {
      const auto* channel = team.channel_with_id(parts[1]);
      if (!channel) return error_answer(404, "app.channel.get.existing.app_error");
      const auto page = query_number(request.query, "page", 0);
      const auto per_page = query_number(request.query, "per_page", 60);
      if (!page || !per_page || *per_page > 200) return error_answer(400, "api.context.invalid_url_param.app_error");
      const auto added = members.find(channel->id);
      return {200, MattermostTeam::page_of_members(*channel, added == members.end() ? std::vector<std::string>{} : added->second,
                                                   *page, *per_page)};
    }
    if (call == "PUT /channels/{id}/patch") {
      headers[parts[1]] = request.arg("header");
      return {200, json::object{{"id", parts[1]}, {"header", request.arg("header")}}};
    }
    if (call == "POST /channels/direct") {
      const auto* pair = request.body.is_array() ? &request.body.as_array() : nullptr;
      if (!pair || pair->size() != 2 || !(*pair)[0].is_string() || !(*pair)[1].is_string())
        return error_answer(400, "api.context.invalid_body_param.app_error");
      const std::string user_id((*pair)[0].as_string()), other_user_id((*pair)[1].as_string());
      return {201, MattermostTeam::described(team.direct_channel(user_id, other_user_id))};
    }
    if (call == "POST /posts" || call == "POST /posts/ephemeral") {
      const bool ephemeral = call.ends_with("ephemeral");
      const json::value* post = ephemeral && request.body.is_object() ? request.body.as_object().if_contains("post") : &request.body;
      const auto field = [&](std::string_view name) {
        const auto* value = post && post->is_object() ? post->as_object().if_contains(name) : nullptr;
        return value && value->is_string() ? std::string(value->as_string()) : std::string();
      };
      if (ephemeral)  // shown once to one user, never kept
        return {201, json::object{{"id", team.new_id("post")}, {"channel_id", field("channel_id")}, {"message", field("message")}}};
      const auto* props = post && post->is_object() ? post->as_object().if_contains("props") : nullptr;
      if (props && !props->is_object()) return error_answer(400, "api.context.invalid_body_param.app_error");
      const auto& stored = team.add_post(field("channel_id"), field("message"), props ? props->as_object() : json::object());
      return {201, team.described(stored)};
    }
    if (call == "POST /actions/dialogs/open") return open_dialog(request);
    if (call == "PUT /posts/{id}/patch" || call == "POST /posts/{id}/pin") {
      auto* post = team.post(parts[1]);
      if (!post) return error_answer(404, "app.post.get.app_error");
      if (call.ends_with("pin")) {
        post->pinned = true;
        return {200, json::object{{"status", "OK"}}};
      }
      post->message = request.arg("message");
      const auto* props = request.body.is_object() ? request.body.as_object().if_contains("props") : nullptr;
      if (props && props->is_object()) post->props = props->as_object();
      return {200, team.described(*post)};
    }
    return error_answer(404, "api.no_route");
  }
};

MattermostServer::MattermostServer(MattermostServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
MattermostServer::~MattermostServer() = default;

std::string MattermostServer::url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }
const std::string& MattermostServer::bot_id() const { return impl_->options.bot_id; }

void MattermostServer::add_user(std::string id, std::string username) {
  std::lock_guard lock(impl_->mutex);
  impl_->users[std::move(id)] = std::move(username);
}

void MattermostServer::add_channel(std::string name, std::string id) {
  std::lock_guard lock(impl_->mutex);
  auto display_name = name;
  impl_->team.add_channel({.id = std::move(id), .name = std::move(name), .display_name = std::move(display_name)});
}

void MattermostServer::add_foreign_channel(std::string name, std::string id) {
  std::lock_guard lock(impl_->mutex);
  auto display_name = name;
  impl_->team.add_channel({.id = std::move(id),
                           .name = std::move(name),
                           .display_name = std::move(display_name),
                           .creator_id = mattermost_id("someoneelse")});
}

void MattermostServer::answer_rate_limited(std::string call, int count, std::chrono::seconds wait, bool reset_header) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[std::move(call)].push_back(Script{count, 429, wait, reset_header});
}

void MattermostServer::answer_http_status(std::string call, int count, int status) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[std::move(call)].push_back(Script{count, status, {}, false});
}

void MattermostServer::answer_dropped(std::string call, int count) {
  std::lock_guard lock(impl_->mutex);
  impl_->scripts[std::move(call)].push_back(Script{.remaining = count, .dropped = true});
}

std::vector<MattermostRequest> MattermostServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

std::vector<MattermostRequest> MattermostServer::requests(std::string_view call) const {
  std::lock_guard lock(impl_->mutex);
  std::vector<MattermostRequest> matching;
  for (const auto& request : impl_->requests)
    if (request.call == call) matching.push_back(request);
  return matching;
}

std::size_t MattermostServer::count(std::string_view call) const { return requests(call).size(); }

bool MattermostServer::wait_for(std::string_view call, std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] {
    return static_cast<std::size_t>(std::count_if(impl_->requests.begin(), impl_->requests.end(),
                                                  [&](const auto& request) { return request.call == call; })) >= count;
  });
}

std::vector<MattermostPost> MattermostServer::posts() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->team.posts();
}

std::vector<MattermostPost> MattermostServer::posts_in(std::string_view channel_id) const {
  std::vector<MattermostPost> matching;
  for (const auto& post : posts())
    if (post.channel_id == channel_id) matching.push_back(post);
  return matching;
}

std::string MattermostServer::channel_id(std::string_view name) const {
  std::lock_guard lock(impl_->mutex);
  const auto* channel = impl_->team.channel_named(name);
  return channel ? channel->id : std::string();
}

std::string MattermostServer::direct_channel_of(std::string_view user_id) const {
  std::lock_guard lock(impl_->mutex);
  const auto* channel = impl_->team.channel_named(impl_->team.direct_channel_name(impl_->options.bot_id, std::string(user_id)));
  return channel ? channel->id : std::string();
}

std::string MattermostServer::channel_header(std::string_view channel_id) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->headers.find(channel_id);
  return found == impl_->headers.end() ? std::string() : found->second;
}

void MattermostServer::add_member(const std::string& channel_id, std::string user_id) {
  std::lock_guard lock(impl_->mutex);
  impl_->members[channel_id].push_back(std::move(user_id));
}

std::vector<std::string> MattermostServer::members(std::string_view channel_id) const {
  std::lock_guard lock(impl_->mutex);
  const auto found = impl_->members.find(channel_id);
  return found == impl_->members.end() ? std::vector<std::string>{} : found->second;
}

}  // namespace incident_bot::fakes
