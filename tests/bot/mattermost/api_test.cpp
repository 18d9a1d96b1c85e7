#include "bot/mattermost/api.hpp"
#include "fakes/fake_http_client.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/run_sync.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace incident_bot;
using namespace std::chrono_literals;
using bot::Disposition;

namespace {

bot::HttpResult answer(int status, std::string body = "{}", bot::HttpHeaders headers = {}) {
  return bot::HttpResult{{}, status, std::move(headers), std::move(body)};
}

struct Client {
  explicit Client(fakes::MattermostServer& server)
      : http(io.get_executor(), {}),
        api(http, {.url = server.url(), .token = "bot-token", .retry = {10ms, 40ms, 3, 60s}},
            std::make_shared<spdlog::logger>("mm", std::make_shared<spdlog::sinks::ostream_sink_st>(log))) {}
  boost::asio::io_context io;
  std::ostringstream log;
  bot::BeastHttpClient http;
  bot::MattermostApi api;
  template <class T>
  T run(boost::asio::awaitable<T> work) { return fakes::run_sync(io, std::move(work)); }
};

}  // namespace

TEST_CASE("mattermost: answers are classified by status and error id") {
  CHECK(bot::read_mattermost_answer("POST /posts", answer(201, R"({"id":"p1"})")).ok);
  const auto limited = bot::read_mattermost_answer("POST /posts", answer(429, "{}", {{"X-Ratelimit-Reset", "4"}}));
  CHECK(limited.disposition == Disposition::rate_limited);
  CHECK(limited.retry_after == 4s);
  CHECK(bot::read_mattermost_answer("POST /posts", answer(503, "oops")).disposition == Disposition::retry);
  CHECK(bot::read_mattermost_answer("POST /posts", answer(401)).disposition == Disposition::fatal_auth);
  const auto exists = bot::read_mattermost_answer(
      "POST /channels", answer(400, R"({"id":"store.sql_channel.save_channel.exists.app_error","status_code":400})"));
  CHECK(exists.disposition == Disposition::rename);
  CHECK(exists.error == "store.sql_channel.save_channel.exists.app_error");
  CHECK(bot::read_mattermost_answer("PUT /posts/{id}/patch", answer(404)).disposition == Disposition::post_new);
  CHECK(bot::read_mattermost_answer("POST /posts", answer(403)).disposition == Disposition::give_up);
  CHECK(bot::read_mattermost_answer("POST /posts", answer(403)).error == "http_403");
  bot::HttpResult failed;
  failed.ec = boost::asio::error::connection_refused;
  CHECK(bot::read_mattermost_answer("POST /posts", failed).disposition == Disposition::retry);
}

TEST_CASE("mattermost: is_mattermost_id: 26 lowercase letters and digits") {
  CHECK(bot::is_mattermost_id(fakes::mattermost_id("alice")));
  CHECK_FALSE(bot::is_mattermost_id("U0ALICE"));
  CHECK_FALSE(bot::is_mattermost_id(std::string(26, 'A')));
}

TEST_CASE("mattermost: API calls: bearer token, JSON bodies, ids back — direct channels pair the bot and the user") {
  fakes::MattermostServer server({.token = "bot-token"});
  Client client(server);
  const auto channel = client.run(client.api.create_channel("team", "inc-1-x", "INC-1 x", false));
  REQUIRE(channel.ok());
  CHECK(channel.value == server.channel_id("inc-1-x"));
  const auto again = client.run(client.api.create_channel("team", "inc-1-x", "INC-1 x", false));
  CHECK(again.result.disposition == Disposition::rename);
  const auto post = client.run(client.api.create_post(channel.value, "**hi**"));
  REQUIRE(post.ok());
  CHECK(client.run(client.api.patch_post(post.value, "**bye**")).ok);
  CHECK(client.run(client.api.pin(post.value)).ok);
  CHECK(server.posts().at(0).message == "**bye**");
  CHECK(server.posts().at(0).pinned);
  CHECK(client.run(client.api.patch_post(fakes::mattermost_id("gone"), "x")).disposition == Disposition::post_new);

  const auto direct = client.run(client.api.direct_channel(fakes::mattermost_id("alice")));
  REQUIRE(direct.ok());
  client.run(client.api.direct_channel(fakes::mattermost_id("alice")));
  CHECK(server.count("GET /users/me") == 1);
  CHECK(server.count("POST /channels/direct") == 1);  // remembered
  const auto body = server.requests("POST /channels/direct").at(0).body.as_array();
  CHECK(body.at(0).as_string() == server.bot_id().c_str());
  CHECK(server.requests("POST /posts").at(0).authorization == "Bearer bot-token");
  CHECK(client.log.str().find("bot-token") == std::string::npos);
}

TEST_CASE("mattermost: API: channels by name and users are looked up once — a bad token is fatal_auth") {
  fakes::MattermostServer server({.token = "bot-token"});
  server.add_channel("incidents", fakes::mattermost_id("announce"));
  server.add_user(fakes::mattermost_id("bob"), "bob");
  Client client(server);
  const std::string team = fakes::mattermost_id("team");
  CHECK(client.run(client.api.channel_named(team, "incidents")).value == fakes::mattermost_id("announce"));
  client.run(client.api.channel_named(team, "incidents"));
  CHECK(server.count("GET /teams/{id}/channels/name/{name}") == 1);
  CHECK(client.run(client.api.user(fakes::mattermost_id("bob"))).value.username == "bob");
  client.run(client.api.user(fakes::mattermost_id("bob")));
  CHECK(server.count("GET /users/{id}") == 1);
  CHECK(client.run(client.api.channel_named(team, "nowhere")).result.disposition == Disposition::give_up);

  fakes::MattermostServer strict({.token = "other-token"});
  Client refused(strict);
  const auto denied = refused.run(refused.api.create_post("c", "x"));
  CHECK(denied.result.disposition == Disposition::fatal_auth);
  CHECK(strict.count("POST /posts") == 1);  // not retried
}

TEST_CASE("mattermost: API: a 429 holds back every call until its reset — 5xx are retried") {
  fakes::MattermostServer server({.token = "bot-token"});
  server.answer_rate_limited("POST /posts", 1, 1s, true);
  server.answer_http_status("POST /channels/{id}/members", 1, 502);
  Client client(server);
  const auto post = client.run(client.api.create_post("c", "x"));
  CHECK(post.ok());
  const auto posts = server.requests("POST /posts");
  REQUIRE(posts.size() == 2);
  CHECK(posts[1].received_at - posts[0].received_at >= 900ms);
  CHECK(client.run(client.api.add_member(fakes::mattermost_id("chan"), "u")).ok);
  CHECK(server.count("POST /channels/{id}/members") == 2);
}

TEST_CASE("mattermost: a channel's members are read page by page until a short page") {
  fakes::MattermostServer server({.token = "bot-token"});
  const std::string channel = fakes::mattermost_id("secret");
  server.add_channel("inc-1-secret", channel);
  for (int i = 0; i < 230; ++i) server.add_member(channel, fakes::mattermost_id("user", i + 1));
  Client client(server);
  const auto members = client.run(client.api.channel_members(channel));
  REQUIRE(members.ok());
  REQUIRE(members.value.size() == 230);
  CHECK(members.value.front() == fakes::mattermost_id("user", 1));
  const auto asked = server.requests("GET /channels/{id}/members");
  REQUIRE(asked.size() == 2);
  CHECK(asked[0].query == "page=0&per_page=200");
  CHECK(asked[1].query == "page=1&per_page=200");

  const auto unknown = client.run(client.api.channel_members(fakes::mattermost_id("nochannel")));
  CHECK_FALSE(unknown.ok());
  CHECK(unknown.result.error == "app.channel.get.existing.app_error");
}
