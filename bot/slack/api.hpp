#pragma once
// The Slack Web API over an HttpClient: bearer token, JSON bodies, per-method rate limits,
// retries with capped exponential backoff, every error classified by the one table.
#include "bot/net/web_api.hpp"
#include "bot/slack/errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace incident_bot::bot {

struct SlackApiOptions {
  std::string api_url = "https://slack.com/api";  // slack.api_url
  std::string token;  // SLACK_BOT_TOKEN: sent as "Authorization: Bearer …", never logged
  std::chrono::milliseconds timeout{10'000};  // one HTTP exchange
  RetryPolicy retry;
};

// A channel found by name: its id and who created it.
struct SlackChannel {
  std::string id;
  std::string creator;
};

// What every post of the bot carries, so that a post whose answer was lost can be found again.
inline constexpr std::string_view post_metadata_event = "incident_bot_post";


// Use from one thread or strand: the rate-limit table is not locked.
class SlackApi {
 public:
  SlackApi(HttpClient& http, SlackApiOptions options, std::shared_ptr<spdlog::logger> logger,
           AsyncClock clock = real_async_clock());

  // POST {api_url}/{method} with args as the JSON body. Waits out this method's rate limit,
  // retries what is retryable, logs what is not (method and error only).
  boost::asio::awaitable<ApiResult> call(std::string method, boost::json::object args);

  // chat.postMessage -> the message ts. A post carrying outbox_id has it in its metadata; Slack
  // limits posts per channel, so a 429 holds back that channel's posts only.
  boost::asio::awaitable<ApiValue<std::string>> post_message(std::string channel, std::string text,
                                                             std::optional<boost::json::array> blocks = {},
                                                             std::int64_t outbox_id = 0);
  // conversations.history with metadata -> the ts of the newest of the bot's posts carrying outbox_id; "" when none
  boost::asio::awaitable<ApiValue<std::string>> find_post(std::string channel, std::int64_t outbox_id);
  // conversations.open -> the direct-message channel with a user
  boost::asio::awaitable<ApiValue<std::string>> open_direct(std::string user);
  // conversations.list, page by page -> the channel of that name; an empty id when none
  boost::asio::awaitable<ApiValue<SlackChannel>> channel_named(std::string name);
  // conversations.members, page by page -> the user ids of everyone in the channel
  boost::asio::awaitable<ApiValue<std::vector<std::string>>> channel_members(std::string channel);
  // auth.test -> the bot's own user id, asked once
  boost::asio::awaitable<ApiValue<std::string>> bot_user_id();
  boost::asio::awaitable<ApiResult> join(std::string channel);  // conversations.join
  // chat.postEphemeral -> the message_ts
  boost::asio::awaitable<ApiValue<std::string>> post_ephemeral(std::string channel, std::string user, std::string text,
                                                               std::optional<boost::json::array> blocks = {});
  // chat.update; disposition post_new when that message can no longer be edited
  boost::asio::awaitable<ApiResult> update_message(std::string channel, std::string ts, std::string text,
                                                   std::optional<boost::json::array> blocks = {});
  // conversations.create -> the channel id; disposition rename on name_taken
  boost::asio::awaitable<ApiValue<std::string>> create_conversation(std::string name, bool is_private);
  // conversations.invite with the users comma-separated
  boost::asio::awaitable<ApiResult> invite(std::string channel, std::vector<std::string> users);
  boost::asio::awaitable<ApiResult> set_topic(std::string channel, std::string topic);  // conversations.setTopic
  boost::asio::awaitable<ApiResult> pin(std::string channel, std::string ts);           // pins.add
  boost::asio::awaitable<ApiResult> open_view(std::string trigger_id, boost::json::object view);  // views.open
  // apps.connections.open with the app-level token (xapp-…) -> the Socket Mode wss:// URL
  boost::asio::awaitable<ApiValue<std::string>> apps_connections_open(std::string app_token);

 private:
  boost::asio::awaitable<ApiResult> call_with_token(const std::string& token, std::string method,
                                                    boost::json::object args, std::string rate_key = {});
  boost::asio::awaitable<ApiValue<std::string>> call_for_string(std::string token, std::string method,
                                                                boost::json::object args, std::vector<std::string> path);
  boost::asio::awaitable<ApiValue<std::string>> post_for_ts(boost::json::object args, std::string rate_key);
  boost::asio::awaitable<ApiValue<std::string>> search_history(std::string channel, std::int64_t outbox_id);
  boost::asio::awaitable<ApiValue<SlackChannel>> search_channels(std::string name);
  boost::asio::awaitable<ApiValue<std::vector<std::string>>> read_members(std::string channel);

  HttpClient& http_;
  SlackApiOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  AsyncClock clock_;
  Retrier retrier_;  // rate limits per method
  std::string bot_user_id_;
};

}  // namespace incident_bot::bot
