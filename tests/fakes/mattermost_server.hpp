#pragma once
// A Mattermost REST API v4 stand-in for loopback tests: plain HTTP on 127.0.0.1, port 0, on its
// own thread. It records every request and answers as Mattermost does:
//
//   fakes::MattermostServer mattermost({.token = "bot-token"});
//   config.mattermost.url = mattermost.url();   // "http://127.0.0.1:PORT"; the API is under /api/v4
//   mattermost.add_user(fakes::mattermost_id("alice"), "alice");
//   mattermost.answer_rate_limited("POST /posts", 1, std::chrono::seconds(1));
//   REQUIRE(mattermost.wait_for("POST /posts", 2, std::chrono::seconds(5)));
//
// Calls are named by method and route with ids as {id}: "POST /channels", "POST /channels/{id}/members",
// "PUT /channels/{id}/patch", "POST /channels/direct", "POST /posts", "PUT /posts/{id}/patch",
// "POST /posts/{id}/pin", "POST /posts/ephemeral", "GET /users/me", "GET /users/{id}",
// "GET /teams/{id}/channels/name/{name}". Every method may be called from any thread.
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::fakes {

// A Mattermost-shaped id (26 lowercase letters and digits) made from a readable stem: "alice" -> "alice000…01".
std::string mattermost_id(std::string_view stem, int number = 1);

struct MattermostServerOptions {
  std::string token;  // when set, any other bearer token is answered 401
  std::string bot_id = mattermost_id("incidentbot");
  std::string bot_username = "incident-bot";
};

struct MattermostRequest {
  std::string call;         // "POST /posts/{id}/pin"
  std::string path;         // the path under /api/v4, ids included: "/posts/p0…1/pin"
  std::string authorization;
  std::string content_type;
  boost::json::value body;  // the parsed JSON body; null when none or not JSON
  int status = 0;           // what was answered
  std::chrono::steady_clock::time_point received_at;

  std::string arg(const std::string& name) const;  // a string field of a JSON object body; "" when absent
};

struct MattermostPost {
  std::string id;
  std::string channel_id;
  std::string message;  // as last patched
  bool pinned = false;
};

class MattermostServer {
 public:
  explicit MattermostServer(MattermostServerOptions options = {});
  ~MattermostServer();
  MattermostServer(const MattermostServer&) = delete;
  MattermostServer& operator=(const MattermostServer&) = delete;

  std::string url() const;  // "http://127.0.0.1:PORT"
  const std::string& bot_id() const;

  void add_user(std::string id, std::string username);      // answered by GET /users/{id}
  void add_channel(std::string name, std::string id);       // answered by GET …/channels/name/{name}

  // Scripts for the next `count` calls, in the order given; then the call answers normally again.
  // reset_header: X-Ratelimit-Reset instead of Retry-After (Mattermost sends both; some proxies one).
  void answer_rate_limited(std::string call, int count, std::chrono::seconds wait, bool reset_header = false);
  void answer_http_status(std::string call, int count, int status = 500);

  std::vector<MattermostRequest> requests() const;
  std::vector<MattermostRequest> requests(std::string_view call) const;
  std::size_t count(std::string_view call) const;
  bool wait_for(std::string_view call, std::size_t count, std::chrono::milliseconds timeout) const;

  std::vector<MattermostPost> posts() const;  // every post created, in order, as it is now
  std::vector<MattermostPost> posts_in(std::string_view channel_id) const;
  std::string channel_id(std::string_view name) const;  // a channel created or added; "" when none
  std::string channel_header(std::string_view channel_id) const;
  std::vector<std::string> members(std::string_view channel_id) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace incident_bot::fakes
