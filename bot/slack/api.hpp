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
  std::chrono::seconds users_cache_ttl{600};  // how long a users.info answer is reused
};

struct SlackUser {
  std::string id;
  std::string name;          // the handle
  std::string real_name;
  std::string display_name;  // may be empty; prefer it when set
  std::string tz;            // IANA zone, "America/New_York"
  bool is_bot = false;
  bool deleted = false;
};

// Use from one thread or strand: the rate-limit table and the users cache are not locked.
class SlackApi {
 public:
  SlackApi(HttpClient& http, SlackApiOptions options, std::shared_ptr<spdlog::logger> logger,
           AsyncClock clock = real_async_clock());

  // POST {api_url}/{method} with args as the JSON body. Waits out this method's rate limit,
  // retries what is retryable, logs what is not (method and error only).
  boost::asio::awaitable<ApiResult> call(std::string method, boost::json::object args);

  // chat.postMessage -> the message ts
  boost::asio::awaitable<ApiValue<std::string>> post_message(std::string channel, std::string text,
                                                             std::optional<boost::json::array> blocks = {});
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
  boost::asio::awaitable<ApiResult> add_bookmark(std::string channel_id, std::string title,
                                                 std::string link);  // bookmarks.add, type link
  // users.info, answered from memory for users_cache_ttl after a successful call
  boost::asio::awaitable<ApiValue<SlackUser>> users_info(std::string user);
  boost::asio::awaitable<ApiResult> open_view(std::string trigger_id, boost::json::object view);  // views.open
  // apps.connections.open with the app-level token (xapp-…) -> the Socket Mode wss:// URL
  boost::asio::awaitable<ApiValue<std::string>> apps_connections_open(std::string app_token);

 private:
  boost::asio::awaitable<ApiResult> call_with_token(const std::string& token, std::string method,
                                                    boost::json::object args);
  boost::asio::awaitable<ApiValue<std::string>> call_for_string(std::string token, std::string method,
                                                                boost::json::object args, std::vector<std::string> path);
  boost::asio::awaitable<ApiValue<SlackUser>> answered(SlackUser user);
  boost::asio::awaitable<ApiValue<SlackUser>> fetch_user(std::string user, boost::json::object args);

  struct CachedUser {
    SlackUser user;
    std::chrono::steady_clock::time_point expires;
  };

  HttpClient& http_;
  SlackApiOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  AsyncClock clock_;
  Retrier retrier_;  // rate limits per method
  std::map<std::string, CachedUser, std::less<>> users_;
};

}  // namespace incident_bot::bot
