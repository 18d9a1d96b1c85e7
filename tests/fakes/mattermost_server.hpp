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
// "GET /channels/{id}/members", "PUT /channels/{id}/patch", "POST /channels/direct", "GET /channels/{id}/posts", "POST /posts",
// "PUT /posts/{id}/patch", "POST /posts/{id}/pin", "POST /posts/ephemeral", "POST /actions/dialogs/open", "GET /users/me",
// "GET /users/{id}", "GET /teams/{id}/channels/name/{name}". A segment is an {id} only when it looks
// like one (26 lowercase letters and digits): make ids with mattermost_id(). Every method may be
// called from any thread.
//
// Channels and posts are kept, so a client can read back what it sent, as a delivery that must not
// post twice does after an answer was lost (answer_dropped):
//   POST /channels            {team_id, name, display_name, type} -> 201 {id, name, display_name, type,
//                             team_id, creator_id: the bot, create_at}; a name taken (created before,
//                             added, or foreign) -> 400 {id:"store.sql_channel.save_channel.exists.app_error",
//                             message, status_code}
//   GET /teams/{id}/channels/name/{name} -> 200 the channel as above (any team finds it; an added
//                             channel answers the team asked for) · 404 app.channel.get_by_name.missing.app_error
//   POST /channels/direct     [bot id, user id] -> 201 {id, name:"<id>__<id>", type:"D", …}: one per pair
//   POST /posts               {channel_id, message, props?} -> 201 the post as below
//   PUT /posts/{id}/patch     {message, props?} -> 200 the post as below · 404 app.post.get.app_error
//   GET /channels/{id}/posts?page=0&per_page=60 -> 200 {order:[post ids newest first], posts:{id: {id,
//                             channel_id, user_id: the bot, message, props, create_at (ms), is_pinned}},
//                             next_post_id:"", prev_post_id:"", has_next: an older page follows};
//                             per_page at most 200; a channel never made, added or posted in ->
//                             404 app.channel.get.existing.app_error; a bad page -> 400
//   GET /channels/{id}/members?page=0&per_page=60 -> 200 [{channel_id, user_id, roles:"channel_user",
//                             last_viewed_at, msg_count, mention_count, notify_props, last_update_at}]: the creator,
//                             then everyone added (POST /channels/{id}/members, add_member), once each; per_page at
//                             most 200, else 400; a channel never made or added -> 404 app.channel.get.existing.app_error
//   POST /actions/dialogs/open {trigger_id, url, dialog:{callback_id, title, elements, state, …}} -> 200 {status:"OK"};
//                             checked as Mattermost checks a dialog: title and labels at most 24 characters, text
//                             elements at most 150, textareas 3000, a select with options -> else 400. The test
//                             submits it by posting to `url` as a Mattermost client would.
// Errors are Mattermost's JSON: {id, message, status_code}.
#include <boost/json/object.hpp>
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
  std::string query;        // what follows '?': "page=0&per_page=60"; "" when none
  std::string authorization;
  std::string content_type;
  boost::json::value body;  // the parsed JSON body; null when none or not JSON
  int status = 0;           // what was answered; 0 when the answer was dropped
  std::chrono::steady_clock::time_point received_at;

  std::string arg(const std::string& name) const;  // a string field of a JSON object body; "" when absent
};

struct MattermostPost {
  std::string id;
  std::string channel_id;
  std::string message;  // as last patched
  bool pinned = false;
  boost::json::object props;  // as posted, or as last patched
  std::int64_t create_at = 0;  // milliseconds since the epoch, strictly increasing from post to post
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
  void add_channel(std::string name, std::string id);       // answered by GET …/channels/name/{name}; creator_id ""
  // A channel of that name created by someone else (creator_id mattermost_id("someoneelse")):
  // POST /channels with that name answers 400 …exists…, and GET …/channels/name/{name} shows who made it.
  void add_foreign_channel(std::string name, std::string id);

  // Scripts for the next `count` calls, in the order given; then the call answers normally again.
  // reset_header: X-Ratelimit-Reset instead of Retry-After (Mattermost sends both; some proxies one).
  void answer_rate_limited(std::string call, int count, std::chrono::seconds wait, bool reset_header = false);
  void answer_http_status(std::string call, int count, int status = 500);
  // The call takes full effect (the post is stored, the channel created, …) and is recorded with
  // status 0, then the connection is closed without a response: the client sees a transport error.
  void answer_dropped(std::string call, int count);

  std::vector<MattermostRequest> requests() const;
  std::vector<MattermostRequest> requests(std::string_view call) const;
  std::size_t count(std::string_view call) const;
  bool wait_for(std::string_view call, std::size_t count, std::chrono::milliseconds timeout) const;

  std::vector<MattermostPost> posts() const;  // every post created, in order, as it is now
  std::vector<MattermostPost> posts_in(std::string_view channel_id) const;
  std::string channel_id(std::string_view name) const;  // a channel created or added; "" when none
  std::string direct_channel_of(std::string_view user_id) const;  // the bot's direct channel with them; "" when none
  std::string channel_header(std::string_view channel_id) const;
  std::vector<std::string> members(std::string_view channel_id) const;  // as added by POST …/members or add_member
  // Someone joins a channel: GET /channels/{id}/members lists them, after the channel's creator.
  void add_member(const std::string& channel_id, std::string user_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace incident_bot::fakes
