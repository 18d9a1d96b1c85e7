#include "bot/mattermost/api.hpp"

#include "bot/net/form.hpp"
#include "bot/net/url.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;
using std::chrono::seconds;

namespace {

const char* verb_name(HttpMethod method) {
  switch (method) {
    case HttpMethod::get: return "GET";
    case HttpMethod::put: return "PUT";
    default: return "POST";
  }
}

// "/posts/abc…/patch" -> "/posts/{id}/patch": log lines name the call, never the ids in it.
std::string call_name(HttpMethod method, std::string_view path) {
  std::string name = std::string(verb_name(method)) + " ";
  std::size_t start = 1;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const auto segment = path.substr(start, end - start);
    name += "/" + (is_mattermost_id(segment) ? std::string("{id}") : std::string(segment));
    start = end + 1;
  }
  return name;
}

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

ApiValue<std::string> id_value(ApiResult result) {
  ApiValue<std::string> answer{std::move(result), {}};
  if (!answer.result.ok) return answer;
  answer.value = string_field(answer.result.body, "id");
  if (answer.value.empty()) {
    answer.result.ok = false;
    answer.result.error = "invalid_response";
    answer.result.disposition = Disposition::give_up;
  }
  return answer;
}

ApiValue<MattermostUser> user_value(ApiResult result) {
  ApiValue<MattermostUser> answer{std::move(result), {}};
  if (!answer.result.ok) return answer;
  answer.value = MattermostUser{string_field(answer.result.body, "id"), string_field(answer.result.body, "username")};
  if (answer.value.id.empty() || answer.value.username.empty()) {
    answer.result.ok = false;
    answer.result.error = "invalid_response";
    answer.result.disposition = Disposition::give_up;
  }
  return answer;
}

json::value direct_pair(const std::string& bot, const std::string& user) { return json::array{json::string(bot), json::string(user)}; }

}  // namespace

bool is_mattermost_id(std::string_view text) {
  if (text.size() != 26) return false;
  for (const char c : text)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

ApiResult read_mattermost_answer(const std::string& call, const HttpResult& response) {
  ApiResult result = begin_answer(response);
  if (response.ec) return result;
  const std::string error_id = string_field(result.body, "id");
  const auto error = [&] { return error_id.empty() ? "http_" + std::to_string(response.status) : error_id; };
  if (response.status / 100 == 2) {
    result.ok = true;
    result.disposition = Disposition::ok;
    return result;
  }
  result.error = error();
  if (response.status == 429) {
    result.disposition = Disposition::rate_limited;
    result.retry_after = retry_after_of(response.headers).value_or(seconds(0));
  } else if (response.status >= 500) {
    result.disposition = Disposition::retry;
  } else if (response.status == 401) {
    result.disposition = Disposition::fatal_auth;
  } else if (response.status == 400 && call.starts_with("POST /channels") && error_id.find("exists") != std::string::npos) {
    result.disposition = Disposition::rename;
  } else if (response.status == 404 && call.ends_with("/patch") && call.starts_with("PUT /posts")) {
    result.disposition = Disposition::post_new;
  } else {
    result.disposition = Disposition::give_up;
  }
  return result;
}

MattermostApi::MattermostApi(HttpClient& http, MattermostApiOptions options, std::shared_ptr<spdlog::logger> logger,
                             AsyncClock clock)
    : http_(http), options_(std::move(options)), logger_(std::move(logger)), clock_(clock),
      retrier_("mattermost", options_.retry, std::move(clock), logger_) {}

// Built outside the coroutine: GCC 12 cannot keep braced lists of string literals in its frame.
asio::awaitable<ApiResult> MattermostApi::call(HttpMethod method, std::string path, json::value body) {
  HttpRequest request;
  request.method = method;
  request.url = join_url(join_url(options_.url, "api/v4"), path.starts_with('/') ? path.substr(1) : path);
  request.headers = {{"Authorization", "Bearer " + options_.token}, {"Accept", "application/json"}};
  if (!body.is_null()) {
    request.headers.add("Content-Type", "application/json");
    request.body = json::serialize(body);
  }
  request.timeout = options_.timeout;
  const std::string name = call_name(method, path);
  // Not a coroutine either: GCC 12 destroys lambda temporaries of a co_await expression twice.
  // Sent twice, these make a second post or a second channel: an answer lost on the way is not resent.
  const Repeat repeat = name == "POST /posts" || name == "POST /channels" ? Repeat::not_safe : Repeat::safe;
  return retrier_.call(
      name, "api", [this, request]() { return http_.send(request); },
      [name](const HttpResult& response) { return read_mattermost_answer(name, response); }, repeat);
}

asio::awaitable<ApiValue<std::string>> MattermostApi::call_for_id(HttpMethod method, std::string path, json::value body) {
  co_return id_value(co_await call(method, std::move(path), std::move(body)));
}

asio::awaitable<ApiValue<std::string>> MattermostApi::remembered(std::string cache_key, HttpMethod method,
                                                                 std::string path, json::value body) {
  if (const auto known = ids_.find(cache_key); known != ids_.end())
    co_return ApiValue<std::string>{ApiResult{.ok = true, .disposition = Disposition::ok}, known->second};
  auto answer = co_await call_for_id(method, std::move(path), std::move(body));
  if (answer.ok()) ids_[cache_key] = answer.value;
  co_return answer;
}

asio::awaitable<ApiValue<std::string>> MattermostApi::create_channel(std::string team_id, std::string name,
                                                                     std::string display_name, bool is_private) {
  json::object body{{"team_id", team_id}, {"name", name}, {"display_name", display_name},
                    {"type", is_private ? "P" : "O"}};
  return call_for_id(HttpMethod::post, "/channels", std::move(body));
}

asio::awaitable<ApiValue<std::string>> MattermostApi::channel_named(std::string team_id, std::string name) {
  std::string path = "/teams/" + percent_encode(team_id) + "/channels/name/" + percent_encode(name);
  return remembered("channel:" + team_id + "/" + name, HttpMethod::get, std::move(path), nullptr);
}

asio::awaitable<ApiResult> MattermostApi::add_member(std::string channel_id, std::string user_id) {
  return call(HttpMethod::post, "/channels/" + percent_encode(channel_id) + "/members", json::object{{"user_id", user_id}});
}

asio::awaitable<ApiValue<std::vector<std::string>>> MattermostApi::channel_members(std::string channel_id) {
  constexpr std::size_t per_page = 200;  // Mattermost's most
  constexpr int pages_at_most = 50;
  ApiValue<std::vector<std::string>> members;
  for (int page = 0; page < pages_at_most; ++page) {
    std::string path = "/channels/" + percent_encode(channel_id) + "/members?page=" + std::to_string(page) +
                       "&per_page=" + std::to_string(per_page);
    auto answer = co_await call(HttpMethod::get, std::move(path), nullptr);
    if (!answer.ok) co_return ApiValue<std::vector<std::string>>{std::move(answer), {}};
    for (const auto& member : answer.items)
      if (member.is_object())
        if (auto user = string_field(member.as_object(), "user_id"); !user.empty()) members.value.push_back(std::move(user));
    const std::size_t listed = answer.items.size();
    members.result = std::move(answer);
    if (listed < per_page) co_return members;
  }
  // A list cut short would refuse someone who is in the channel without saying so: it is a failure.
  co_return ApiValue<std::vector<std::string>>{ApiResult{.ok = false, .error = "too_many_members"}, {}};
}

asio::awaitable<ApiResult> MattermostApi::set_header(std::string channel_id, std::string header) {
  return call(HttpMethod::put, "/channels/" + percent_encode(channel_id) + "/patch", json::object{{"header", header}});
}

asio::awaitable<ApiValue<std::string>> MattermostApi::create_post(std::string channel_id, std::string message,
                                                                  std::int64_t outbox_id) {
  json::object post{{"channel_id", channel_id}, {"message", message}};
  if (outbox_id != 0) post["props"] = json::object{{outbox_id_prop, std::to_string(outbox_id)}};
  return call_for_id(HttpMethod::post, "/posts", std::move(post));
}

asio::awaitable<ApiValue<std::string>> MattermostApi::find_post(std::string channel_id, std::int64_t outbox_id) {
  return search_posts("/channels/" + percent_encode(channel_id) + "/posts?page=0&per_page=100", outbox_id);
}

asio::awaitable<ApiValue<std::string>> MattermostApi::search_posts(std::string path, std::int64_t outbox_id) {
  auto answer = co_await call(HttpMethod::get, std::move(path), nullptr);
  ApiValue<std::string> found{std::move(answer), {}};
  if (!found.ok()) co_return found;
  const std::string wanted = std::to_string(outbox_id);
  if (const auto* posts = found.result.body.if_contains("posts"); posts && posts->is_object())
    for (const auto& [id, post] : posts->as_object()) {
      const auto* props = post.is_object() ? post.as_object().if_contains("props") : nullptr;
      if (props && props->is_object() && string_field(props->as_object(), outbox_id_prop) == wanted) {
        found.value = std::string(id);
        break;
      }
    }
  co_return found;
}

asio::awaitable<ApiValue<MattermostChannel>> MattermostApi::channel_by_name(std::string team_id, std::string name) {
  return read_channel("/teams/" + percent_encode(team_id) + "/channels/name/" + percent_encode(name));
}

asio::awaitable<ApiValue<MattermostChannel>> MattermostApi::read_channel(std::string path) {
  auto answer = co_await call(HttpMethod::get, std::move(path), nullptr);
  if (answer.http_status == 404) co_return ApiValue<MattermostChannel>{ApiResult{.ok = true, .disposition = Disposition::ok}, {}};
  ApiValue<MattermostChannel> channel{std::move(answer), {}};
  if (channel.ok())
    channel.value = {string_field(channel.result.body, "id"), string_field(channel.result.body, "creator_id")};
  co_return channel;
}

asio::awaitable<ApiResult> MattermostApi::patch_post(std::string post_id, std::string message) {
  return call(HttpMethod::put, "/posts/" + percent_encode(post_id) + "/patch", json::object{{"message", message}});
}

asio::awaitable<ApiResult> MattermostApi::pin(std::string post_id) {
  return call(HttpMethod::post, "/posts/" + percent_encode(post_id) + "/pin", nullptr);
}

asio::awaitable<ApiResult> MattermostApi::post_ephemeral(std::string channel_id, std::string user_id, std::string message) {
  json::object body{{"user_id", user_id}, {"post", {{"channel_id", channel_id}, {"message", message}}}};
  return call(HttpMethod::post, "/posts/ephemeral", std::move(body));
}

asio::awaitable<ApiResult> MattermostApi::open_dialog(std::string trigger_id, std::string url, json::object dialog) {
  json::object body{{"trigger_id", trigger_id}, {"url", url}, {"dialog", std::move(dialog)}};
  return call(HttpMethod::post, "/actions/dialogs/open", std::move(body));
}

asio::awaitable<ApiValue<std::string>> MattermostApi::direct_channel(std::string user_id) {
  const auto bot = co_await me();
  if (!bot.ok()) co_return ApiValue<std::string>{bot.result, {}};
  co_return co_await remembered("direct:" + user_id, HttpMethod::post, "/channels/direct", direct_pair(bot.value.id, user_id));
}

asio::awaitable<ApiValue<MattermostUser>> MattermostApi::me() {
  if (me_) co_return ApiValue<MattermostUser>{ApiResult{.ok = true, .disposition = Disposition::ok}, *me_};
  auto answer = co_await fetch_user("/users/me");
  if (answer.ok()) me_ = answer.value;
  co_return answer;
}

asio::awaitable<ApiValue<MattermostUser>> MattermostApi::user(std::string user_id) {
  if (const auto cached = users_.find(user_id); cached != users_.end()) {
    if (clock_.now() < cached->second.expires)
      co_return ApiValue<MattermostUser>{ApiResult{.ok = true, .disposition = Disposition::ok}, cached->second.user};
    users_.erase(cached);
  }
  auto answer = co_await fetch_user("/users/" + percent_encode(user_id));
  if (answer.ok()) users_[user_id] = CachedUser{answer.value, clock_.now() + options_.users_cache_ttl};
  co_return answer;
}

asio::awaitable<ApiValue<MattermostUser>> MattermostApi::fetch_user(std::string path) {
  co_return user_value(co_await call(HttpMethod::get, std::move(path), nullptr));
}

}  // namespace incident_bot::bot
