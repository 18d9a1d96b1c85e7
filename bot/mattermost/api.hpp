#pragma once
// Mattermost's REST API v4 over an HttpClient: bearer bot token, JSON bodies, the same retry loop
// as the Slack Web API (Retrier), errors classified by HTTP status and Mattermost's error id.
#include "bot/net/web_api.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace incident_bot::bot {

struct MattermostApiOptions {
  std::string url;    // mattermost.url: the server, "https://chat.example.com"; the API is {url}/api/v4
  std::string token;  // MATTERMOST_BOT_TOKEN: sent as "Authorization: Bearer …", never logged
  std::chrono::milliseconds timeout{10'000};
  RetryPolicy retry;
  std::chrono::seconds users_cache_ttl{600};
};

struct MattermostChannel {
  std::string id;
  std::string creator_id;
};

// The post prop that carries the outbox row id, so that a post whose answer was lost can be found again.
inline constexpr std::string_view outbox_id_prop = "incident_bot_outbox_id";

struct MattermostUser {
  std::string id;
  std::string username;
};

// What one answer means. 2xx ok; 429 rate_limited (Retry-After or X-Ratelimit-Reset); 5xx and
// no answer: retry; 401 fatal_auth; 400 "…exists…" rename (a channel name taken); 404 on a post
// patch post_new; any other 4xx give_up. error is Mattermost's error id, else http_<status>.
ApiResult read_mattermost_answer(const std::string& call, const HttpResult& response);

// Use from one thread or strand: the rate-limit table and the caches are not locked.
class MattermostApi {
 public:
  MattermostApi(HttpClient& http, MattermostApiOptions options, std::shared_ptr<spdlog::logger> logger,
                AsyncClock clock = real_async_clock());

  // One call to {url}/api/v4{path}; body is sent as JSON unless null. Mattermost rate-limits per
  // token, so a 429 holds back every call, whatever its path.
  boost::asio::awaitable<ApiResult> call(HttpMethod method, std::string path, boost::json::value body);

  // POST /channels (type O, or P when private) -> the channel id; disposition rename when taken
  boost::asio::awaitable<ApiValue<std::string>> create_channel(std::string team_id, std::string name,
                                                               std::string display_name, bool is_private);
  // GET /teams/{team}/channels/name/{name} -> the channel id (remembered)
  boost::asio::awaitable<ApiValue<std::string>> channel_named(std::string team_id, std::string name);
  boost::asio::awaitable<ApiResult> add_member(std::string channel_id, std::string user_id);  // POST /channels/{id}/members
  // GET /channels/{id}/members, page by page -> the user ids of everyone in the channel
  boost::asio::awaitable<ApiValue<std::vector<std::string>>> channel_members(std::string channel_id);
  boost::asio::awaitable<ApiResult> set_header(std::string channel_id, std::string header);   // PUT /channels/{id}/patch
  // POST /posts -> the post id; outbox_id, when not 0, goes in the post's props
  boost::asio::awaitable<ApiValue<std::string>> create_post(std::string channel_id, std::string message,
                                                            std::int64_t outbox_id = 0);
  // GET /channels/{id}/posts (the latest page) -> the id of the post carrying outbox_id; "" when none
  boost::asio::awaitable<ApiValue<std::string>> find_post(std::string channel_id, std::int64_t outbox_id);
  // GET /teams/{team}/channels/name/{name}, not remembered -> its id and creator; an empty id when none
  boost::asio::awaitable<ApiValue<MattermostChannel>> channel_by_name(std::string team_id, std::string name);
  boost::asio::awaitable<ApiResult> patch_post(std::string post_id, std::string message);  // PUT /posts/{id}/patch
  boost::asio::awaitable<ApiResult> pin(std::string post_id);                               // POST /posts/{id}/pin
  boost::asio::awaitable<ApiResult> post_ephemeral(std::string channel_id, std::string user_id, std::string message);
  // POST /actions/dialogs/open: an interactive dialog, shown to whoever's action gave the trigger id
  boost::asio::awaitable<ApiResult> open_dialog(std::string trigger_id, std::string url, boost::json::object dialog);
  // POST /channels/direct with the bot and the user -> the direct channel's id (remembered)
  boost::asio::awaitable<ApiValue<std::string>> direct_channel(std::string user_id);
  // GET /users/me, once; GET /users/{id}, cached for users_cache_ttl
  boost::asio::awaitable<ApiValue<MattermostUser>> me();
  boost::asio::awaitable<ApiValue<MattermostUser>> user(std::string user_id);

 private:
  boost::asio::awaitable<ApiValue<std::string>> call_for_id(HttpMethod method, std::string path,
                                                            boost::json::value body);
  boost::asio::awaitable<ApiValue<std::string>> remembered(std::string cache_key, HttpMethod method,
                                                           std::string path, boost::json::value body);
  boost::asio::awaitable<ApiValue<MattermostUser>> fetch_user(std::string path);
  boost::asio::awaitable<ApiValue<std::string>> search_posts(std::string path, std::int64_t outbox_id);
  boost::asio::awaitable<ApiValue<MattermostChannel>> read_channel(std::string path);

  struct CachedUser {
    MattermostUser user;
    std::chrono::steady_clock::time_point expires;
  };

  HttpClient& http_;
  MattermostApiOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  AsyncClock clock_;
  Retrier retrier_;
  std::optional<MattermostUser> me_;
  std::map<std::string, CachedUser, std::less<>> users_;
  std::map<std::string, std::string, std::less<>> ids_;  // channel names and direct channels, by cache key
};

// A Mattermost id: 26 lowercase letters and digits.
bool is_mattermost_id(std::string_view text);

}  // namespace incident_bot::bot
