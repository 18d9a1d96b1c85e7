#include "bot/slack/api.hpp"

#include "bot/net/url.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <initializer_list>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;
using std::chrono::seconds;

namespace {

constexpr std::string_view json_content_type = "application/json; charset=utf-8";

template <class Path>
const json::value* find_path(const json::object& object, const Path& path) {
  const json::object* current = &object;
  const json::value* found = nullptr;
  for (const auto& key : path) {
    if (!current) return nullptr;
    found = current->if_contains(key);
    if (!found) return nullptr;
    current = found->if_object();
  }
  return found;
}

const json::value* find_path(const json::object& object, std::initializer_list<std::string_view> path) {
  return find_path<std::initializer_list<std::string_view>>(object, path);
}

std::string string_at(const json::object& object, std::initializer_list<std::string_view> path) {
  const auto* value = find_path(object, path);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// What one HTTP answer means for `method`.
ApiResult read_answer(const std::string& method, const HttpResult& response) {
  ApiResult result = begin_answer(response);
  if (response.ec) return result;
  const auto slack_error = string_at(result.body, {"error"});

  if (response.status == 429) {
    result.error = slack_error.empty() ? "ratelimited" : slack_error;
    result.disposition = Disposition::rate_limited;
    result.retry_after = retry_after_of(response.headers).value_or(seconds(0));
    return result;
  }
  if (response.status >= 500) {
    result.error = slack_error.empty() ? "http_" + std::to_string(response.status) : slack_error;
    result.disposition = Disposition::retry;
    return result;
  }
  if (response.status / 100 != 2) {
    result.error = "http_" + std::to_string(response.status);
    result.disposition = Disposition::give_up;
    return result;
  }
  const auto* ok = result.body.if_contains("ok");
  if (!ok || !ok->is_bool()) {
    result.error = "invalid_response";
    result.disposition = Disposition::give_up;
    return result;
  }
  if (ok->as_bool()) {
    result.ok = true;
    result.disposition = Disposition::ok;
    return result;
  }
  result.error = slack_error.empty() ? "unknown_error" : slack_error;
  result.disposition = classify_slack_error(method, result.error);
  if (result.disposition == Disposition::rate_limited)
    result.retry_after = retry_after_of(response.headers).value_or(seconds(0));
  return result;
}

// An ok answer that lacks the field a convenience method promises is a protocol error.
ApiValue<std::string> string_value(ApiResult result, const std::vector<std::string>& path) {
  ApiValue<std::string> answer{std::move(result), {}};
  if (!answer.result.ok) return answer;
  const auto* value = find_path(answer.result.body, path);
  answer.value = value && value->is_string() ? std::string(value->as_string()) : std::string();
  if (answer.value.empty()) {
    answer.result.ok = false;
    answer.result.error = "invalid_response";
    answer.result.disposition = Disposition::give_up;
  }
  return answer;
}

}  // namespace

SlackApi::SlackApi(HttpClient& http, SlackApiOptions options, std::shared_ptr<spdlog::logger> logger, AsyncClock clock)
    : http_(http), options_(std::move(options)), logger_(std::move(logger)), clock_(clock),
      retrier_("slack", options_.retry, std::move(clock), logger_) {}

asio::awaitable<ApiResult> SlackApi::call(std::string method, json::object args) {
  co_return co_await call_with_token(options_.token, std::move(method), std::move(args));
}

asio::awaitable<ApiResult> SlackApi::call_with_token(const std::string& token, std::string method, json::object args,
                                                     std::string rate_key) {
  HttpRequest request;
  request.method = HttpMethod::post;
  request.url = join_url(options_.api_url, method);
  request.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", std::string(json_content_type)}};
  request.body = json::serialize(args);
  request.timeout = options_.timeout;
  // Not a coroutine: GCC 12 destroys lambda temporaries of a co_await expression twice.
  if (rate_key.empty()) rate_key = method;
  // Sent twice, these make a second post or a second channel: an answer lost on the way is not resent.
  const Repeat repeat = method == "chat.postMessage" || method == "conversations.create" ? Repeat::not_safe : Repeat::safe;
  return retrier_.call(
      method, std::move(rate_key), [this, request]() { return http_.send(request); },
      [method](const HttpResult& response) { return read_answer(method, response); }, repeat);
}

// The convenience methods build their arguments here, outside any coroutine (GCC 12 cannot
// keep braced lists of string literals in a coroutine frame), and hand them to call().

asio::awaitable<ApiValue<std::string>> SlackApi::call_for_string(std::string token, std::string method,
                                                                 json::object args, std::vector<std::string> path) {
  co_return string_value(co_await call_with_token(token, std::move(method), std::move(args)), path);
}

asio::awaitable<ApiValue<std::string>> SlackApi::post_message(std::string channel, std::string text,
                                                              std::optional<json::array> blocks, std::int64_t outbox_id) {
  json::object args{{"channel", channel}, {"text", text}};
  if (blocks) args["blocks"] = std::move(*blocks);
  if (outbox_id != 0)
    args["metadata"] = {{"event_type", post_metadata_event}, {"event_payload", {{"outbox_id", outbox_id}}}};
  return post_for_ts(std::move(args), "chat.postMessage:" + channel);
}

asio::awaitable<ApiValue<std::string>> SlackApi::post_for_ts(json::object args, std::string rate_key) {
  static const std::vector<std::string> ts_path{"ts"};
  co_return string_value(co_await call_with_token(options_.token, "chat.postMessage", std::move(args), std::move(rate_key)),
                         ts_path);
}

asio::awaitable<ApiValue<std::string>> SlackApi::post_ephemeral(std::string channel, std::string user, std::string text,
                                                                std::optional<json::array> blocks) {
  json::object args{{"channel", channel}, {"user", user}, {"text", text}};
  if (blocks) args["blocks"] = std::move(*blocks);
  return call_for_string(options_.token, "chat.postEphemeral", std::move(args), {"message_ts"});
}

asio::awaitable<ApiResult> SlackApi::update_message(std::string channel, std::string ts, std::string text,
                                                    std::optional<json::array> blocks) {
  json::object args{{"channel", channel}, {"ts", ts}, {"text", text}};
  if (blocks) args["blocks"] = std::move(*blocks);
  return call("chat.update", std::move(args));
}

asio::awaitable<ApiValue<std::string>> SlackApi::create_conversation(std::string name, bool is_private) {
  return call_for_string(options_.token, "conversations.create", {{"name", name}, {"is_private", is_private}}, {"channel", "id"});
}

asio::awaitable<ApiResult> SlackApi::invite(std::string channel, std::vector<std::string> users) {
  std::string joined;
  for (const auto& user : users) joined += (joined.empty() ? "" : ",") + user;
  return call("conversations.invite", {{"channel", channel}, {"users", joined}});
}

asio::awaitable<ApiResult> SlackApi::set_topic(std::string channel, std::string topic) {
  return call("conversations.setTopic", {{"channel", channel}, {"topic", topic}});
}

asio::awaitable<ApiResult> SlackApi::pin(std::string channel, std::string ts) {
  return call("pins.add", {{"channel", channel}, {"timestamp", ts}});
}

asio::awaitable<ApiResult> SlackApi::open_view(std::string trigger_id, json::object view) {
  return call("views.open", {{"trigger_id", trigger_id}, {"view", std::move(view)}});
}

asio::awaitable<ApiValue<std::string>> SlackApi::apps_connections_open(std::string app_token) {
  return call_for_string(std::move(app_token), "apps.connections.open", {}, {"url"});
}

}  // namespace incident_bot::bot
