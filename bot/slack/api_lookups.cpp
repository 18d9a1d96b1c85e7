// The Slack calls that look things up: an earlier post by its outbox id, a channel by name, who is in a
// channel, the direct-message channel of a user, the bot's own user id.
#include "bot/slack/api.hpp"

#include <boost/json.hpp>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr int history_depth = 100;  // the bot's posts in doubt are among the channel's latest
constexpr int channels_per_page = 200;
constexpr int members_per_page = 200;  // Slack advises at most 200 a page
constexpr int pages_at_most = 50;
const std::vector<std::string> user_id_path{"user_id"};

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

bool carries_outbox_id(const json::object& message, std::int64_t outbox_id) {
  const auto* metadata = message.if_contains("metadata");
  if (!metadata || !metadata->is_object()) return false;
  if (string_field(metadata->as_object(), "event_type") != post_metadata_event) return false;
  const auto* payload = metadata->as_object().if_contains("event_payload");
  if (!payload || !payload->is_object()) return false;
  const auto* id = payload->as_object().if_contains("outbox_id");
  return id && id->is_int64() && id->as_int64() == outbox_id;
}

template <class T>
ApiValue<T> failed_with(ApiResult result) {
  return ApiValue<T>{std::move(result), {}};
}

}  // namespace

// Built outside the coroutines: GCC 12 cannot keep braced lists of string literals in their frames.

asio::awaitable<ApiValue<std::string>> SlackApi::find_post(std::string channel, std::int64_t outbox_id) {
  return search_history(std::move(channel), outbox_id);
}

asio::awaitable<ApiValue<std::string>> SlackApi::search_history(std::string channel, std::int64_t outbox_id) {
  json::object args;
  args["channel"] = channel;
  args["limit"] = history_depth;
  args["include_all_metadata"] = true;
  auto answer = co_await call("conversations.history", std::move(args));
  if (!answer.ok) co_return failed_with<std::string>(std::move(answer));
  ApiValue<std::string> found{std::move(answer), {}};
  if (const auto* messages = found.result.body.if_contains("messages"); messages && messages->is_array())
    for (const auto& message : messages->as_array())
      if (message.is_object() && carries_outbox_id(message.as_object(), outbox_id)) {
        found.value = string_field(message.as_object(), "ts");
        break;
      }
  co_return found;
}

asio::awaitable<ApiValue<std::string>> SlackApi::open_direct(std::string user) {
  json::object args;
  args["users"] = user;
  return call_for_string(options_.token, "conversations.open", std::move(args), {"channel", "id"});
}

asio::awaitable<ApiValue<SlackChannel>> SlackApi::channel_named(std::string name) { return search_channels(std::move(name)); }

asio::awaitable<ApiValue<SlackChannel>> SlackApi::search_channels(std::string name) {
  std::string cursor;
  for (int page = 0; page < pages_at_most; ++page) {
    json::object args;
    args["types"] = "public_channel,private_channel";
    args["exclude_archived"] = false;
    args["limit"] = channels_per_page;
    if (!cursor.empty()) args["cursor"] = cursor;
    auto answer = co_await call("conversations.list", std::move(args));
    if (!answer.ok) co_return failed_with<SlackChannel>(std::move(answer));
    if (const auto* channels = answer.body.if_contains("channels"); channels && channels->is_array())
      for (const auto& channel : channels->as_array())
        if (channel.is_object() && string_field(channel.as_object(), "name") == name)
          co_return ApiValue<SlackChannel>{std::move(answer), {string_field(channel.as_object(), "id"),
                                                               string_field(channel.as_object(), "creator")}};
    cursor.clear();
    if (const auto* meta = answer.body.if_contains("response_metadata"); meta && meta->is_object())
      cursor = string_field(meta->as_object(), "next_cursor");
    if (cursor.empty()) co_return ApiValue<SlackChannel>{std::move(answer), {}};
  }
  co_return ApiValue<SlackChannel>{ApiResult{.ok = true, .disposition = Disposition::ok}, {}};
}

asio::awaitable<ApiValue<std::vector<std::string>>> SlackApi::channel_members(std::string channel) {
  return read_members(std::move(channel));
}

asio::awaitable<ApiValue<std::vector<std::string>>> SlackApi::read_members(std::string channel) {
  ApiValue<std::vector<std::string>> members;
  std::string cursor;
  for (int page = 0; page < pages_at_most; ++page) {
    json::object args;
    args["channel"] = channel;
    args["limit"] = members_per_page;
    if (!cursor.empty()) args["cursor"] = cursor;
    auto answer = co_await call("conversations.members", std::move(args));
    if (!answer.ok) co_return failed_with<std::vector<std::string>>(std::move(answer));
    if (const auto* listed = answer.body.if_contains("members"); listed && listed->is_array())
      for (const auto& member : listed->as_array())
        if (member.is_string()) members.value.emplace_back(member.as_string());
    cursor.clear();
    if (const auto* meta = answer.body.if_contains("response_metadata"); meta && meta->is_object())
      cursor = string_field(meta->as_object(), "next_cursor");
    members.result = std::move(answer);
    if (cursor.empty()) co_return members;
  }
  // A list cut short would refuse someone who is in the channel without saying so: it is a failure.
  co_return failed_with<std::vector<std::string>>(
      ApiResult{.ok = false, .error = "too_many_members", .disposition = Disposition::give_up});
}

asio::awaitable<ApiValue<std::string>> SlackApi::bot_user_id() {
  if (!bot_user_id_.empty())
    co_return ApiValue<std::string>{ApiResult{.ok = true, .disposition = Disposition::ok}, bot_user_id_};
  auto answer = co_await call_for_string(options_.token, "auth.test", json::object{}, user_id_path);
  if (answer.ok()) bot_user_id_ = answer.value;
  co_return answer;
}

asio::awaitable<ApiResult> SlackApi::join(std::string channel) {
  json::object args;
  args["channel"] = channel;
  return call("conversations.join", std::move(args));
}

}  // namespace incident_bot::bot
