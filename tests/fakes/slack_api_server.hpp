#pragma once
// A Slack Web API stand-in for loopback tests: a real HTTP/1.1 server (optionally TLS) on
// 127.0.0.1, port 0, on its own thread and io_context.
//
//   fakes::SlackApiServer slack({.tls = true});
//   bot::BeastHttpClient http(io.get_executor(), {.ca_file = slack.ca_file()});
//   bot::SlackApi api(http, {.api_url = slack.url(), .token = "xoxb-test"}, logger);
//   slack.answer_rate_limited("chat.postMessage", 1, std::chrono::seconds(1));
//   ... run the code under test ...
//   REQUIRE(slack.wait_for_calls("chat.postMessage", 2, std::chrono::seconds(5)));
//   CHECK(slack.calls("chat.postMessage")[1].body.at("channel") == "C1");
//
// Every request is recorded (thread-safe). Unless scripted otherwise, a method answers as
// Slack does on success (see the default answers below). All methods may be called from any
// thread while the server runs. Messages posted and channels created are kept, so a client can
// read back what it sent (conversations.history / .list / .open), as a delivery that must not
// post twice does after an answer was lost (answer_dropped). Arguments are read from the JSON body.
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

struct SlackApiServerOptions {
  bool tls = false;                        // https with a self-signed certificate (see ca_file())
  std::string bind_address = "127.0.0.1";  // any 127.0.0.0/8 address, or ::1
  std::string path_prefix = "/api";        // url() is scheme://address:port + path_prefix
  // When set, a request whose Authorization is not "Bearer <token>" is answered invalid_auth
  // (apps.connections.open excepted: it takes the app token). A missing Authorization header
  // is always answered not_authed.
  std::string token;
};

struct RecordedCall {
  std::string method;       // the last path segment: "chat.postMessage"
  std::string http_method;  // "POST"
  std::string target;       // the request target as sent: "/api/chat.postMessage"
  std::map<std::string, std::string> headers;  // names lowercased: "authorization", "content-type"
  std::string raw_body;
  boost::json::value body;  // the parsed JSON body; null when the body is not JSON
  std::string sni;          // the TLS server name the client sent; empty over http or without SNI
  int status = 0;           // the HTTP status answered; 0 when the answer was dropped
  std::chrono::steady_clock::time_point received_at;

  std::string header(const std::string& lowercase_name) const;  // "" when absent
  std::string arg(const std::string& name) const;  // a string field of the JSON body; "" when absent
};

class SlackApiServer {
 public:
  explicit SlackApiServer(SlackApiServerOptions options = {});
  ~SlackApiServer();  // stops the server thread and removes the certificate file
  SlackApiServer(const SlackApiServer&) = delete;
  SlackApiServer& operator=(const SlackApiServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;      // the api_url to configure: "http://127.0.0.1:PORT/api", "http://[::1]:PORT/api"
  std::string ca_file() const;  // the PEM certificate to trust (tls.ca_file); empty without TLS

  // Scripts for the next `count` calls of `method`, consumed in the order they were given;
  // after them the method answers by default again.
  void answer_rate_limited(std::string method, int count, std::chrono::seconds retry_after);  // 429 + Retry-After
  void answer_http_status(std::string method, int count, int status = 500);  // plain-text body
  void answer_error(std::string method, int count, std::string error);  // 200 {"ok":false,"error":…}
  void answer_json(std::string method, int count, boost::json::object body);  // 200 with exactly this body
  void answer_delayed(std::string method, int count, std::chrono::milliseconds delay);  // default answer, late
  // The call takes full effect (the message is stored, the channel created, …) and is recorded
  // with status 0, then the connection is closed without a response: the client's request was
  // sent and it sees a transport error.
  void answer_dropped(std::string method, int count);

  // A public channel of that name created by someone else (creator "U0OTHER"): listed by
  // conversations.list, and conversations.create of that name answers name_taken.
  void add_foreign_channel(std::string name, std::string id);
  // Someone joins a channel the workspace knows (created, or foreign): conversations.members lists them.
  void add_member(const std::string& channel_id, std::string user_id);

  // What apps.connections.open returns as "url" (default "wss://127.0.0.1:1/link/?ticket=fake").
  void set_socket_mode_url(std::string url);

  // Default answers, all HTTP 200 with "ok":true:
  //   chat.postMessage       {channel, ts: increasing "1700000000.000101", message:{type:"message", ts,
  //                          text, user:"UBOT", bot_id:"B1", blocks?, metadata?}}. The message is kept
  //                          in its channel; a post to a user ("U…", "W…") lands in that user's direct
  //                          message channel "D1", "D2"… (one per user) and "channel" is that D id.
  //                          metadata is {event_type, event_payload:{…}} (or that JSON in a string);
  //                          anything else is answered invalid_metadata_format; no channel, channel_not_found
  //   chat.postEphemeral     {message_ts}: not kept, as Slack keeps no ephemeral message
  //   chat.update            {channel, ts, text}; a kept message of that ts gets the new text, blocks, metadata
  //   conversations.create   {channel:{id:"C1", "C2"…, name, is_channel:true, is_private, is_im:false,
  //                          is_archived:false, creator:"UBOT", created:1700000000}}; a name taken (created
  //                          before, or a foreign channel) is answered {"ok":false,"error":"name_taken"}
  //   conversations.history  {channel, limit=100, oldest?, latest?, inclusive?, cursor?, include_all_metadata?}
  //                          -> {messages:[newest first, {type:"message", ts, text, user, bot_id, blocks?,
  //                          and metadata only with include_all_metadata}], has_more, and when has_more
  //                          response_metadata:{next_cursor}}. oldest/latest are exclusive unless
  //                          inclusive. A channel never created, opened or posted to: channel_not_found
  //   conversations.list     {types="public_channel" (any of public_channel, private_channel, im, mpim),
  //                          limit=100, cursor?, exclude_archived?} -> {channels:[in creation order, as
  //                          conversations.create shows them; ims as {id, is_im:true, user, created}],
  //                          response_metadata:{next_cursor: "" on the last page}}. Nothing is archived.
  //   conversations.open     {users:"U…"} -> {channel:{id:"D…"}} (the channel posts to that user land in),
  //                          plus no_op:true, already_open:true when it was open; {channel:"D…"} resumes one.
  //                          One user only: a list is answered stand_in_opens_one_user_only
  //   conversations.invite / .join / .setTopic   {channel:{id, topic:{value}}}; an invitation (users comma-separated)
  //                          or a join of a known channel makes its users (the bot) members
  //   conversations.members  {channel, limit=100 (at most 1000), cursor?} -> {members:[user ids: the creator, then
  //                          who joined, was invited or was added], response_metadata:{next_cursor: "" on the last
  //                          page}}; a channel never created (nor foreign): channel_not_found
  //   pins.add {} · bookmarks.add {bookmark:{id:"Bk1"…, channel_id, title, link}}
  //   users.info {user:{id, name, real_name, tz:"UTC", profile:{display_name, real_name}}}
  //   views.open {view:{id:"V1"…}} · auth.test {team_id:"T1", user_id:"UBOT", bot_id:"B1"}
  //   apps.connections.open  {url}
  //   anything else          {"ok":false,"error":"unknown_method"}

  std::vector<RecordedCall> calls() const;  // every call, in arrival order
  std::vector<RecordedCall> calls(std::string_view method) const;
  std::size_t count(std::string_view method) const;
  // True once `method` has been called at least `count` times; false after `timeout`.
  bool wait_for_calls(std::string_view method, std::size_t count, std::chrono::milliseconds timeout) const;
  // Every message kept in a channel, oldest first, as posted: {ts, text, user:"UBOT", bot_id:"B1",
  // blocks (if given), metadata (if given)}; chat.update edits them in place.
  std::vector<boost::json::object> messages_in(std::string_view channel_id) const;
  // The D id of a user's direct message channel; "" until a post to them or conversations.open.
  std::string direct_channel_of(std::string_view user_id) const;
  // Forgets recorded calls, scripts, channels (foreign ones too), direct channels and messages;
  // channel ids and message ts are never handed out twice.
  void clear();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace incident_bot::fakes
