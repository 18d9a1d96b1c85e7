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
// Slack does on success (see answer_by_default below). All methods may be called from any
// thread while the server runs.
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
  int status = 0;           // the HTTP status answered
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

  // What apps.connections.open returns as "url" (default "wss://127.0.0.1:1/link/?ticket=fake").
  void set_socket_mode_url(std::string url);

  // Default answers, all HTTP 200 with "ok":true:
  //   chat.postMessage       {channel, ts: increasing "1700000000.000100", message:{text, ts}}
  //   chat.postEphemeral     {message_ts}
  //   chat.update            {channel, ts, text}
  //   conversations.create   {channel:{id:"C1", "C2"…, name, is_private}}; a name created
  //                          before is answered {"ok":false,"error":"name_taken"}
  //   conversations.invite / .join / .setTopic   {channel:{id, topic:{value}}}
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
  void clear();  // forgets recorded calls, scripts and created channel names

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace incident_bot::fakes
