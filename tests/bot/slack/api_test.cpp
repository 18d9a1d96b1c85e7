#include "bot/slack/api.hpp"

#include "fakes/fake_http_client.hpp"
#include "fakes/run_sync.hpp"
#include "fakes/slack_api_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

namespace asio = boost::asio;
namespace json = boost::json;
using incident_bot::bot::ApiResult;
using incident_bot::bot::BeastHttpClient;
using incident_bot::bot::Disposition;
using incident_bot::bot::HttpHeaders;
using incident_bot::bot::SlackApi;
using incident_bot::bot::SlackApiOptions;
using incident_bot::fakes::FakeHttpClient;
using incident_bot::fakes::ManualClock;
using incident_bot::fakes::run_sync;
using incident_bot::fakes::SlackApiServer;
using namespace std::chrono_literals;

namespace {

constexpr const char* bot_token = "xoxb-secret-token";

SlackApiOptions options(std::string api_url = "https://slack.example/api") {
  SlackApiOptions result;
  result.api_url = std::move(api_url);
  result.token = bot_token;
  result.retry.base = 100ms;
  result.retry.cap = 400ms;
  result.retry.max_attempts = 4;
  return result;
}

// A SlackApi over the fake client and a manual clock, logging into a string.
struct Harness {
  asio::io_context io;
  ManualClock time;
  FakeHttpClient http;
  std::ostringstream log;
  SlackApi api;

  explicit Harness(SlackApiOptions api_options = options())
      : api(http, std::move(api_options),
            std::make_shared<spdlog::logger>("slack", std::make_shared<spdlog::sinks::ostream_sink_st>(log)),
            time.clock()) {
    http.set_clock(time.now_function());
  }

  template <class T>
  T run(asio::awaitable<T> work) { return run_sync(io, std::move(work)); }
};

HttpHeaders retry_after(const char* seconds) { return {{"Retry-After", seconds}}; }

}  // namespace

TEST_CASE("slack api: a call is a JSON POST to {api_url}/{method} with the bearer token", "[slack_api]") {
  Harness harness;
  const auto result = harness.run(harness.api.call("chat.postMessage", {{"channel", "C1"}, {"text", "hi"}}));
  CHECK(result.ok);
  CHECK(result.disposition == Disposition::ok);
  CHECK(result.attempts == 1);
  REQUIRE(harness.http.sent().size() == 1);
  const auto& request = harness.http.sent()[0].request;
  CHECK(request.url == "https://slack.example/api/chat.postMessage");
  CHECK(request.headers.find("Authorization") == std::string("Bearer ") + bot_token);
  CHECK(request.headers.find("Content-Type") == "application/json; charset=utf-8");
  CHECK(json::parse(request.body) == json::parse(R"({"channel":"C1","text":"hi"})"));
  CHECK(harness.time.sleeps().empty());
}

TEST_CASE("slack api: a 429 waits Retry-After for that method, then retries", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::status(429, retry_after("3")));
  harness.http.push("chat.postMessage", FakeHttpClient::slack_ok({{"ts", "1.2"}}));
  const auto posted = harness.run(harness.api.post_message("C1", "hi"));
  REQUIRE(posted.ok());
  CHECK(posted.value == "1.2");
  CHECK(posted.result.attempts == 2);
  CHECK(harness.time.sleeps() == std::vector<std::chrono::milliseconds>{3000ms});
  const auto sent = harness.http.sent("chat.postMessage");
  REQUIRE(sent.size() == 2);
  CHECK(sent[1].at - sent[0].at >= 3s);
}

TEST_CASE("slack api: later calls of a rate-limited method wait too; other methods do not", "[slack_api]") {
  auto api_options = options();
  api_options.retry.max_attempts = 1;  // the 429 comes back to the caller
  Harness harness(api_options);
  harness.http.push("chat.postMessage", FakeHttpClient::status(429, retry_after("5")));
  const auto limited = harness.run(harness.api.call("chat.postMessage", {}));
  CHECK_FALSE(limited.ok);
  CHECK(limited.disposition == Disposition::rate_limited);
  CHECK(limited.retry_after == 5s);
  CHECK(limited.error == "ratelimited");

  harness.time.advance(1s);
  CHECK(harness.run(harness.api.call("users.info", {{"user", "U1"}})).ok);
  CHECK(harness.time.sleeps().empty());

  CHECK(harness.run(harness.api.call("chat.postMessage", {})).ok);
  REQUIRE(harness.time.sleeps().size() == 1);
  CHECK(harness.time.sleeps()[0] == 4000ms);
  const auto sent = harness.http.sent("chat.postMessage");
  REQUIRE(sent.size() == 2);
  CHECK(sent[1].at - sent[0].at >= 5s);
}

TEST_CASE("slack api: a Retry-After beyond the policy's limit is handed back, not waited", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::status(429, retry_after("3600")));
  const auto result = harness.run(harness.api.call("chat.postMessage", {}));
  CHECK(result.disposition == Disposition::rate_limited);
  CHECK(result.retry_after == 3600s);
  CHECK(harness.http.sent().size() == 1);
  CHECK(harness.time.sleeps().empty());
  // The next call of that method does not even try before the hour is up.
  const auto next = harness.run(harness.api.call("chat.postMessage", {}));
  CHECK(next.disposition == Disposition::rate_limited);
  CHECK(next.attempts == 0);
  CHECK(harness.http.sent().size() == 1);
}

TEST_CASE("slack api: 5xx and transport errors back off exponentially with jitter, capped", "[slack_api]") {
  Harness harness;
  harness.http.push("pins.add", FakeHttpClient::status(500));
  harness.http.push("pins.add", FakeHttpClient::failure(boost::beast::error::timeout));
  harness.http.push("pins.add", FakeHttpClient::status(503));
  const auto result = harness.run(harness.api.pin("C1", "1.2"));
  CHECK(result.ok);
  CHECK(result.attempts == 4);
  const auto& sleeps = harness.time.sleeps();
  REQUIRE(sleeps.size() == 3);
  CHECK((sleeps[0] >= 50ms && sleeps[0] <= 100ms));
  CHECK((sleeps[1] >= 100ms && sleeps[1] <= 200ms));
  CHECK((sleeps[2] >= 200ms && sleeps[2] <= 400ms));
}

TEST_CASE("slack api: retries stop after max_attempts with the last error", "[slack_api]") {
  auto api_options = options();
  api_options.retry.max_attempts = 6;
  Harness harness(api_options);
  harness.http.set_default(FakeHttpClient::status(502));
  const auto result = harness.run(harness.api.call("chat.update", {}));
  CHECK_FALSE(result.ok);
  CHECK(result.disposition == Disposition::retry);
  CHECK(result.error == "http_502");
  CHECK(result.http_status == 502);
  CHECK(result.attempts == 6);
  CHECK(harness.http.sent().size() == 6);
  REQUIRE(harness.time.sleeps().size() == 5);
  for (const auto sleep : harness.time.sleeps()) CHECK(sleep <= 400ms);
  CHECK(harness.time.sleeps()[4] >= 200ms);
  CHECK_THAT(harness.log.str(), Catch::Matchers::Contains("chat.update: http_502; gave up after 6 attempts"));
}

TEST_CASE("slack api: a non-retryable ok:false is logged with method and error, never retried", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::slack_error("channel_not_found"));
  const auto result = harness.run(harness.api.post_message("C404", "secret incident details"));
  CHECK_FALSE(result.ok());
  CHECK(result.result.error == "channel_not_found");
  CHECK(result.result.disposition == Disposition::give_up);
  CHECK(harness.http.sent().size() == 1);
  CHECK(harness.time.sleeps().empty());
  const auto log = harness.log.str();
  CHECK_THAT(log, Catch::Matchers::Contains("chat.postMessage") && Catch::Matchers::Contains("channel_not_found"));
  CHECK_THAT(log, !Catch::Matchers::Contains("secret incident details") && !Catch::Matchers::Contains(bot_token));
}

TEST_CASE("slack api: a refused token is fatal_auth, logged as an error, not retried", "[slack_api]") {
  Harness harness;
  harness.http.push("conversations.create", FakeHttpClient::slack_error("invalid_auth"));
  const auto result = harness.run(harness.api.create_conversation("inc-1-checkout", false));
  CHECK(result.result.disposition == Disposition::fatal_auth);
  CHECK(harness.http.sent().size() == 1);
  CHECK_THAT(harness.log.str(), Catch::Matchers::Contains("[error]") && !Catch::Matchers::Contains(bot_token));
}

TEST_CASE("slack api: retryable and success-like Slack errors follow the table", "[slack_api]") {
  Harness harness;
  harness.http.push("users.info", FakeHttpClient::slack_error("internal_error"));
  CHECK(harness.run(harness.api.call("users.info", {})).ok);
  CHECK(harness.http.sent("users.info").size() == 2);

  harness.http.push("conversations.invite", FakeHttpClient::slack_error("already_in_channel"));
  const auto invited = harness.run(harness.api.invite("C1", {"U1", "U2"}));
  CHECK_FALSE(invited.ok);
  CHECK(invited.disposition == Disposition::already_done);
  CHECK(invited.succeeded());
  CHECK(json::parse(harness.http.sent("conversations.invite")[0].request.body).at("users") == "U1,U2");

  harness.http.push("conversations.create", FakeHttpClient::slack_error("name_taken"));
  CHECK(harness.run(harness.api.create_conversation("inc-1", false)).result.disposition == Disposition::rename);

  harness.http.push("chat.update", FakeHttpClient::slack_error("message_not_found"));
  CHECK(harness.run(harness.api.update_message("C1", "1.2", "x")).disposition == Disposition::post_new);
  CHECK(harness.http.sent().size() == 5);
}

TEST_CASE("slack api: answers that are not Slack's JSON are given up", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::status(200, {}, "<html>proxy</html>"));
  harness.http.push("chat.postMessage", FakeHttpClient::status(404, {}, "not found"));
  harness.http.push("chat.postMessage", FakeHttpClient::slack_ok());  // ok, but no ts
  auto posted = harness.run(harness.api.post_message("C1", "hi"));
  CHECK(posted.result.error == "invalid_response");
  CHECK(posted.result.disposition == Disposition::give_up);
  posted = harness.run(harness.api.post_message("C1", "hi"));
  CHECK(posted.result.error == "http_404");
  posted = harness.run(harness.api.post_message("C1", "hi"));
  CHECK_FALSE(posted.ok());
  CHECK(posted.result.error == "invalid_response");
  CHECK(harness.http.sent().size() == 3);
}

TEST_CASE("slack api: convenience methods send Slack's argument names and read the answer", "[slack_api]") {
  Harness harness;
  harness.http.push("conversations.create", FakeHttpClient::slack_ok({{"channel", {{"id", "C9"}, {"name", "inc-1"}}}}));
  const auto created = harness.run(harness.api.create_conversation("inc-1", true));
  REQUIRE(created.ok());
  CHECK(created.value == "C9");

  json::array blocks{json::object{{"type", "divider"}}};
  harness.http.push("chat.postEphemeral", FakeHttpClient::slack_ok({{"message_ts", "5.6"}}));
  CHECK(harness.run(harness.api.post_ephemeral("C9", "U1", "only you", blocks)).value == "5.6");
  CHECK(harness.run(harness.api.update_message("C9", "1.2", "edited", blocks)).ok);
  CHECK(harness.run(harness.api.set_topic("C9", "INC-1 sev2 investigating")).ok);
  CHECK(harness.run(harness.api.open_view("T.1", {{"type", "modal"}})).ok);

  const auto bodies = [&](const std::string& method) { return json::parse(harness.http.sent(method).at(0).request.body); };
  CHECK(bodies("conversations.create") == json::parse(R"({"name":"inc-1","is_private":true})"));
  CHECK(bodies("chat.postEphemeral") ==
        json::parse(R"({"channel":"C9","user":"U1","text":"only you","blocks":[{"type":"divider"}]})"));
  CHECK(bodies("chat.update") == json::parse(R"({"channel":"C9","ts":"1.2","text":"edited","blocks":[{"type":"divider"}]})"));
  CHECK(bodies("conversations.setTopic") == json::parse(R"({"channel":"C9","topic":"INC-1 sev2 investigating"})"));
  CHECK(bodies("views.open") == json::parse(R"({"trigger_id":"T.1","view":{"type":"modal"}})"));
}

TEST_CASE("slack api: a post carries its outbox id in metadata, and is found by it in the history", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::slack_ok({{"ts", "1.1"}}));
  CHECK(harness.run(harness.api.post_message("C9", "hello", std::nullopt, 42)).value == "1.1");
  CHECK(json::parse(harness.http.sent("chat.postMessage").at(0).request.body).at("metadata") ==
        json::parse(R"({"event_type":"incident_bot_post","event_payload":{"outbox_id":42}})"));

  json::array messages{
      json::object{{"ts", "3.3"}, {"metadata", {{"event_type", "incident_bot_post"}, {"event_payload", {{"outbox_id", 41}}}}}},
      json::object{{"ts", "2.2"}, {"metadata", {{"event_type", "someone_else"}, {"event_payload", {{"outbox_id", 42}}}}}},
      json::object{{"ts", "1.1"}, {"metadata", {{"event_type", "incident_bot_post"}, {"event_payload", {{"outbox_id", 42}}}}}}};
  harness.http.push("conversations.history", FakeHttpClient::slack_ok({{"messages", messages}}));
  const auto found = harness.run(harness.api.find_post("C9", 42));
  REQUIRE(found.ok());
  CHECK(found.value == "1.1");
  const auto asked = json::parse(harness.http.sent("conversations.history").at(0).request.body);
  CHECK(asked.at("include_all_metadata") == true);
  harness.http.push("conversations.history", FakeHttpClient::slack_ok({{"messages", json::array{}}}));
  CHECK(harness.run(harness.api.find_post("C9", 7)).value.empty());
}

TEST_CASE("slack api: a channel is found by name across pages; the bot's id is asked once", "[slack_api]") {
  Harness harness;
  harness.http.push("conversations.list", FakeHttpClient::slack_ok({{"channels", json::array{json::object{{"id", "C1"}, {"name", "general"}}}},
                                                                    {"response_metadata", {{"next_cursor", "page2"}}}}));
  harness.http.push("conversations.list", FakeHttpClient::slack_ok({{"channels", json::array{json::object{
                                                                        {"id", "C7"}, {"name", "inc-1-x"}, {"creator", "UBOT"}}}},
                                                                    {"response_metadata", {{"next_cursor", ""}}}}));
  const auto found = harness.run(harness.api.channel_named("inc-1-x"));
  REQUIRE(found.ok());
  CHECK(found.value.id == "C7");
  CHECK(found.value.creator == "UBOT");
  CHECK(json::parse(harness.http.sent("conversations.list").at(1).request.body).at("cursor") == "page2");
  harness.http.push("conversations.list", FakeHttpClient::slack_ok({{"channels", json::array{}}}));
  CHECK(harness.run(harness.api.channel_named("nowhere")).value.id.empty());

  harness.http.push("auth.test", FakeHttpClient::slack_ok({{"user_id", "UBOT"}}));
  CHECK(harness.run(harness.api.bot_user_id()).value == "UBOT");
  CHECK(harness.run(harness.api.bot_user_id()).value == "UBOT");
  CHECK(harness.http.sent("auth.test").size() == 1);

  harness.http.push("conversations.open", FakeHttpClient::slack_ok({{"channel", {{"id", "D5"}}}}));
  CHECK(harness.run(harness.api.open_direct("U5")).value == "D5");
}

TEST_CASE("slack api: a 429 on chat.postMessage holds back that channel's posts only", "[slack_api]") {
  Harness harness;
  harness.http.push("chat.postMessage", FakeHttpClient::status(429, {{"Retry-After", "600"}}));
  const auto limited = harness.run(harness.api.post_message("C1", "first"));
  CHECK(limited.result.disposition == Disposition::rate_limited);
  harness.http.push("chat.postMessage", FakeHttpClient::slack_ok({{"ts", "2.2"}}));
  const auto other = harness.run(harness.api.post_message("C2", "other channel"));
  CHECK(other.ok());
  const auto same = harness.run(harness.api.post_message("C1", "same channel"));
  CHECK(same.result.disposition == Disposition::rate_limited);  // answered at once, not sent
  CHECK(harness.http.sent("chat.postMessage").size() == 2);
}

TEST_CASE("slack api: apps.connections.open sends the app token and returns the URL", "[slack_api]") {
  Harness harness;
  harness.http.push("apps.connections.open", FakeHttpClient::slack_ok({{"url", "wss://example/link/?ticket=1"}}));
  const auto opened = harness.run(harness.api.apps_connections_open("xapp-1-app-token"));
  REQUIRE(opened.ok());
  CHECK(opened.value == "wss://example/link/?ticket=1");
  CHECK(harness.http.sent()[0].request.headers.find("Authorization") == "Bearer xapp-1-app-token");
}

namespace {

// The real client over TLS against the Slack stand-in on loopback, with short backoffs.
struct Loopback {
  SlackApiServer slack{{.tls = true, .token = bot_token}};
  asio::io_context io;
  BeastHttpClient http{io.get_executor(), {.ca_file = slack.ca_file()}};
  std::ostringstream log;
  SlackApi api;

  explicit Loopback(std::string token = bot_token)
      : api(http, loopback_options(slack.url(), std::move(token)),
            std::make_shared<spdlog::logger>("slack", std::make_shared<spdlog::sinks::ostream_sink_st>(log))) {}

  static SlackApiOptions loopback_options(std::string url, std::string token) {
    auto result = options(std::move(url));
    result.token = std::move(token);
    result.retry.base = 10ms;
    result.retry.cap = 40ms;
    result.timeout = 5s;
    return result;
  }

  template <class T>
  T run(asio::awaitable<T> work) { return run_sync(io, std::move(work)); }
};

asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor, duration);
  co_await timer.async_wait(asio::use_awaitable);
}

}  // namespace

TEST_CASE("slack api over TLS loopback: bearer token and JSON reach the server", "[slack_api][loopback]") {
  Loopback loop;
  const auto posted = loop.run(loop.api.post_message("C1", "hello"));
  REQUIRE(posted.ok());
  CHECK(posted.value == "1700000000.000101");
  const auto calls = loop.slack.calls("chat.postMessage");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].header("authorization") == std::string("Bearer ") + bot_token);
  CHECK(calls[0].header("content-type") == "application/json; charset=utf-8");
  CHECK(calls[0].arg("channel") == "C1");
  CHECK(calls[0].arg("text") == "hello");
}

TEST_CASE("slack api over loopback: Retry-After holds back that method only", "[slack_api][loopback]") {
  Loopback loop;
  loop.slack.answer_rate_limited("chat.postMessage", 1, 1s);
  bool first_ok = false, second_ok = false, pinned = false;
  const std::string channel = "C1";
  asio::co_spawn(loop.io, [&]() -> asio::awaitable<void> {
    first_ok = (co_await loop.api.post_message(channel, "first")).ok();
  }, asio::detached);
  asio::co_spawn(loop.io, [&]() -> asio::awaitable<void> {
    while (loop.slack.count("chat.postMessage") == 0) co_await sleep_for(5ms);
    co_await sleep_for(100ms);  // the 429 has reached the client by now
    pinned = (co_await loop.api.pin(channel, "1.0")).ok;
    second_ok = (co_await loop.api.post_message(channel, "second")).ok();
  }, asio::detached);
  loop.io.run();
  CHECK(first_ok);
  CHECK(second_ok);
  CHECK(pinned);

  const auto posts = loop.slack.calls("chat.postMessage");
  REQUIRE(posts.size() == 3);
  CHECK(posts[0].status == 429);
  const auto limited_at = posts[0].received_at;
  for (std::size_t i = 1; i < posts.size(); ++i) {
    INFO("post " << i << ": " << posts[i].arg("text"));
    CHECK(posts[i].status == 200);
    CHECK(posts[i].received_at - limited_at >= 990ms);
  }
  const auto pins = loop.slack.calls("pins.add");
  REQUIRE(pins.size() == 1);
  CHECK(pins[0].received_at - limited_at < 900ms);
  CHECK(pins[0].received_at < posts[1].received_at);
}

TEST_CASE("slack api over loopback: HTTP 500 is retried until it succeeds", "[slack_api][loopback]") {
  Loopback loop;
  loop.slack.answer_http_status("chat.postMessage", 2, 500);
  const auto posted = loop.run(loop.api.post_message("C1", "hello"));
  CHECK(posted.ok());
  CHECK(posted.result.attempts == 3);
  CHECK(loop.slack.count("chat.postMessage") == 3);
}

TEST_CASE("slack api over loopback: a give_up error is sent once", "[slack_api][loopback]") {
  Loopback loop;
  loop.slack.answer_error("pins.add", 1, "not_pinnable");
  const auto result = loop.run(loop.api.pin("C1", "1.0"));
  CHECK(result.disposition == Disposition::give_up);
  CHECK(result.error == "not_pinnable");
  CHECK(loop.slack.count("pins.add") == 1);
  CHECK_THAT(loop.log.str(), Catch::Matchers::Contains("pins.add: not_pinnable"));
}

TEST_CASE("slack api over loopback: a wrong token surfaces as fatal_auth", "[slack_api][loopback]") {
  Loopback loop("xoxb-wrong");
  const auto created = loop.run(loop.api.create_conversation("inc-1-checkout", false));
  CHECK(created.result.error == "invalid_auth");
  CHECK(created.result.disposition == Disposition::fatal_auth);
  CHECK(loop.slack.count("conversations.create") == 1);
  CHECK_THAT(loop.log.str(), !Catch::Matchers::Contains("xoxb-wrong"));
}

TEST_CASE("slack api over loopback: channel names and the Socket Mode URL", "[slack_api][loopback]") {
  Loopback loop;
  const auto created = loop.run(loop.api.create_conversation("inc-1-checkout", false));
  REQUIRE(created.ok());
  CHECK(created.value == "C1");
  CHECK(loop.run(loop.api.create_conversation("inc-1-checkout", false)).result.disposition == Disposition::rename);

  loop.slack.set_socket_mode_url("wss://127.0.0.1:9/link/?ticket=t");
  const auto opened = loop.run(loop.api.apps_connections_open("xapp-1"));
  CHECK(opened.value == "wss://127.0.0.1:9/link/?ticket=t");
  CHECK(loop.slack.calls("apps.connections.open").at(0).header("authorization") == "Bearer xapp-1");
}

TEST_CASE("slack api over loopback: a channel's members are read page by page with the cursor", "[slack_api][loopback]") {
  Loopback loop;
  const auto created = loop.run(loop.api.create_conversation("inc-1-secret", true));
  REQUIRE(created.ok());
  for (int i = 0; i < 250; ++i) loop.slack.add_member(created.value, "U" + std::to_string(1000 + i));
  const auto members = loop.run(loop.api.channel_members(created.value));
  REQUIRE(members.ok());
  CHECK(members.value.size() == 251);  // the bot, who created it, and everyone who joined
  CHECK(members.value.front() == "UBOT");
  CHECK(members.value.back() == "U1249");
  const auto calls = loop.slack.calls("conversations.members");
  REQUIRE(calls.size() == 2);
  CHECK(calls[0].arg("channel") == created.value);
  CHECK(calls[0].body.as_object().at("limit") == 200);
  CHECK_FALSE(calls[0].body.as_object().contains("cursor"));
  CHECK(calls[1].arg("cursor") == "next:200");

  const auto unknown = loop.run(loop.api.channel_members("C404"));
  CHECK_FALSE(unknown.ok());
  CHECK(unknown.result.error == "channel_not_found");
}
