// The Slack and Mattermost stand-ins keep what a client sent and answer reads of it as the real
// services do, driven over real HTTP with the bot's own clients.
#include "bot/mattermost/api.hpp"
#include "bot/net/http_client.hpp"
#include "bot/slack/api.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/run_sync.hpp"
#include "fakes/slack_api_server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace incident_bot;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* slack_token = "xoxb-stand-in";
constexpr const char* mattermost_token = "mm-stand-in";

std::shared_ptr<spdlog::logger> logger_into(std::ostringstream& log) {
  return std::make_shared<spdlog::logger>("stand-in", std::make_shared<spdlog::sinks::ostream_sink_st>(log));
}

// The bot's Slack client over TLS to the stand-in, with short backoffs.
struct SlackClient {
  fakes::SlackApiServer slack{{.tls = true, .token = slack_token}};
  boost::asio::io_context io;
  bot::BeastHttpClient http{io.get_executor(), {.ca_file = slack.ca_file()}};
  std::ostringstream log;
  bot::SlackApi api{http, {.api_url = slack.url(), .token = slack_token, .timeout = 5s, .retry = {10ms, 40ms, 3, 60s}},
                    logger_into(log)};

  json::object call(std::string method, json::object args) {
    const auto result = fakes::run_sync(io, api.call(std::move(method), std::move(args)));
    REQUIRE(result.http_status == 200);
    return result.body;
  }
  // One request and nothing more: no retry hides what the stand-in did to the connection.
  bot::HttpResult send_once(const std::string& method, const json::object& args) {
    bot::HttpRequest request;
    request.url = slack.url() + "/" + method;
    request.headers = {{"Authorization", std::string("Bearer ") + slack_token},
                       {"Content-Type", "application/json; charset=utf-8"}};
    request.body = json::serialize(args);
    request.timeout = 5s;
    return fakes::run_sync(io, http.send(std::move(request)));
  }
};

struct MattermostClient {
  fakes::MattermostServer server{{.token = mattermost_token}};
  boost::asio::io_context io;
  bot::BeastHttpClient http{io.get_executor(), {}};
  std::ostringstream log;
  bot::MattermostApi api{http, {.url = server.url(), .token = mattermost_token, .retry = {10ms, 40ms, 3, 60s}},
                         logger_into(log)};

  bot::ApiResult call(bot::HttpMethod method, std::string path, json::value body = nullptr) {
    return fakes::run_sync(io, api.call(method, std::move(path), std::move(body)));
  }
  template <class T>
  T run(boost::asio::awaitable<T> work) { return fakes::run_sync(io, std::move(work)); }
};

std::vector<std::string> texts_of(const json::object& history) {
  std::vector<std::string> texts;
  for (const auto& message : history.at("messages").as_array()) texts.emplace_back(message.at("text").as_string());
  return texts;
}

std::vector<std::string> names_of(const json::object& listed) {
  std::vector<std::string> names;
  for (const auto& channel : listed.at("channels").as_array()) names.emplace_back(channel.at("name").as_string());
  return names;
}

}  // namespace

TEST_CASE("slack stand-in: metadata comes back through conversations.history only with include_all_metadata") {
  SlackClient client;
  const auto channel = client.call("conversations.create", {{"name", "inc-1-checkout"}}).at("channel").at("id");
  const json::object metadata{{"event_type", "incident_post"}, {"event_payload", {{"outbox_id", 41}, {"incident", 1}}}};
  const auto posted = client.call("chat.postMessage", {{"channel", channel}, {"text", "card"}, {"metadata", metadata}});
  REQUIRE(posted.at("ok") == true);
  CHECK(posted.at("channel") == channel);
  CHECK(posted.at("message").at("metadata") == metadata);
  client.call("chat.postMessage", {{"channel", channel}, {"text", "plain"}});

  const auto bare = client.call("conversations.history", {{"channel", channel}});
  REQUIRE(bare.at("ok") == true);
  CHECK(texts_of(bare) == std::vector<std::string>{"plain", "card"});  // newest first
  CHECK(bare.at("has_more") == false);
  for (const auto& message : bare.at("messages").as_array()) CHECK_FALSE(message.as_object().contains("metadata"));

  const auto full = client.call("conversations.history", {{"channel", channel}, {"include_all_metadata", true}});
  const auto& card = full.at("messages").as_array().at(1).as_object();
  CHECK(card.at("type") == "message");
  CHECK(card.at("ts") == posted.at("ts"));
  CHECK(card.at("user") == "UBOT");
  CHECK(card.at("bot_id") == "B1");
  CHECK(card.at("metadata") == metadata);
  CHECK_FALSE(full.at("messages").as_array().at(0).as_object().contains("metadata"));

  const auto kept = client.slack.messages_in(channel.as_string());
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].at("text") == "card");  // oldest first
  CHECK(kept[0].at("metadata") == metadata);
  CHECK(client.call("chat.postMessage", {{"channel", channel}, {"metadata", {{"event_type", "x"}}}}).at("error") ==
        "invalid_metadata_format");
}

TEST_CASE("slack stand-in: history pages by limit and cursor within oldest and latest, and knows no other channel") {
  SlackClient client;
  std::vector<std::string> ts;
  for (const auto* text : {"one", "two", "three", "four"})
    ts.emplace_back(client.call("chat.postMessage", {{"channel", "C0GENERAL"}, {"text", text}}).at("ts").as_string());

  const auto first = client.call("conversations.history", {{"channel", "C0GENERAL"}, {"limit", 3}});
  CHECK(texts_of(first) == std::vector<std::string>{"four", "three", "two"});
  CHECK(first.at("has_more") == true);
  const auto cursor = first.at("response_metadata").at("next_cursor");
  const auto rest = client.call("conversations.history", {{"channel", "C0GENERAL"}, {"limit", 3}, {"cursor", cursor}});
  CHECK(texts_of(rest) == std::vector<std::string>{"one"});
  CHECK(rest.at("has_more") == false);

  const auto between = client.call("conversations.history", {{"channel", "C0GENERAL"}, {"oldest", ts[0]}, {"latest", ts[3]}});
  CHECK(texts_of(between) == std::vector<std::string>{"three", "two"});  // both ends exclusive
  const auto inclusive = client.call("conversations.history",
                                     {{"channel", "C0GENERAL"}, {"oldest", ts[2]}, {"inclusive", true}});
  CHECK(texts_of(inclusive) == std::vector<std::string>{"four", "three"});
  CHECK(client.call("conversations.history", {{"channel", "C0NOWHERE"}}).at("error") == "channel_not_found");
}

TEST_CASE("slack stand-in: a dropped answer leaves the message posted and the client without an answer") {
  SlackClient client;
  client.slack.answer_dropped("chat.postMessage", 1);
  const auto lost = client.send_once("chat.postMessage", {{"channel", "C0GENERAL"}, {"text", "once"}});
  CHECK(lost.ec);
  CHECK(lost.status == 0);
  const auto calls = client.slack.calls("chat.postMessage");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].status == 0);
  const auto kept = client.slack.messages_in("C0GENERAL");
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].at("text") == "once");

  const auto answered = client.send_once("chat.postMessage", {{"channel", "C0GENERAL"}, {"text", "twice"}});
  REQUIRE_FALSE(answered.ec);
  CHECK(json::parse(answered.body).at("ts") != kept[0].at("ts"));
  CHECK(client.slack.messages_in("C0GENERAL").size() == 2);

  client.slack.answer_dropped("conversations.create", 1);
  CHECK(client.send_once("conversations.create", {{"name", "inc-2-pixel"}}).ec);
  CHECK(client.call("conversations.create", {{"name", "inc-2-pixel"}}).at("error") == "name_taken");
}

TEST_CASE("slack stand-in: conversations.list pages by limit and tells the bot's channels from others'") {
  SlackClient client;
  client.slack.add_foreign_channel("inc-1-taken", "C0FOREIGN");
  for (const auto* name : {"inc-2-a", "inc-3-b", "inc-4-c"}) client.call("conversations.create", {{"name", name}});
  client.call("conversations.create", {{"name", "inc-5-secret"}, {"is_private", true}});
  CHECK(client.call("conversations.create", {{"name", "inc-1-taken"}}).at("error") == "name_taken");

  std::vector<std::string> seen;
  json::object page = client.call("conversations.list", {{"limit", 2}, {"exclude_archived", true}});
  int pages = 1;
  for (;;) {
    REQUIRE(page.at("ok") == true);
    CHECK(page.at("channels").as_array().size() <= 2);
    for (const auto& name : names_of(page)) seen.push_back(name);
    const auto cursor = page.at("response_metadata").at("next_cursor");
    if (cursor == "") break;
    page = client.call("conversations.list", {{"limit", 2}, {"cursor", cursor}});
    ++pages;
  }
  CHECK(pages == 2);
  CHECK(seen == std::vector<std::string>{"inc-1-taken", "inc-2-a", "inc-3-b", "inc-4-c"});  // public only

  const auto all = client.call("conversations.list", {{"types", "public_channel,private_channel"}});
  const auto& channels = all.at("channels").as_array();
  REQUIRE(channels.size() == 5);
  CHECK(channels.at(0).at("id") == "C0FOREIGN");
  CHECK(channels.at(0).at("creator") == "U0OTHER");
  CHECK(channels.at(4).at("name") == "inc-5-secret");
  CHECK(channels.at(4).at("is_private") == true);
  CHECK(channels.at(4).at("creator") == client.call("auth.test", {}).at("user_id"));
  CHECK(channels.at(4).at("created").is_int64());
  CHECK(client.call("conversations.list", {{"types", "rooms"}}).at("error") == "invalid_types");
}

TEST_CASE("slack stand-in: a post to a user lands in the DM conversations.open answers") {
  SlackClient client;
  const auto posted = client.call("chat.postMessage", {{"channel", "U0ALICE"}, {"text", "reminder"}});
  const std::string direct(posted.at("channel").as_string());
  CHECK(direct.starts_with('D'));
  CHECK(client.slack.direct_channel_of("U0ALICE") == direct);
  const auto opened = client.call("conversations.open", {{"users", "U0ALICE"}});
  CHECK(opened.at("channel").at("id") == direct.c_str());
  CHECK(opened.at("already_open") == true);
  CHECK(texts_of(client.call("conversations.history", {{"channel", direct}})) == std::vector<std::string>{"reminder"});

  const std::string bob(client.call("conversations.open", {{"users", "U0BOB"}}).at("channel").at("id").as_string());
  CHECK(bob != direct);
  CHECK(client.call("chat.postMessage", {{"channel", "U0BOB"}, {"text", "hi"}}).at("channel") == bob.c_str());
  CHECK(client.slack.messages_in(bob).size() == 1);

  client.slack.clear();
  CHECK(client.slack.direct_channel_of("U0ALICE").empty());
  CHECK(client.slack.messages_in(direct).empty());
}

TEST_CASE("mattermost stand-in: posts keep their props and page newest first") {
  MattermostClient client;
  const std::string team = fakes::mattermost_id("team");
  const auto channel = client.run(client.api.create_channel(team, "inc-1-checkout", "INC-1 checkout", false));
  REQUIRE(channel.ok());
  for (int outbox_id = 1; outbox_id <= 3; ++outbox_id)
    REQUIRE(client.call(bot::HttpMethod::post, "/posts",
                        json::object{{"channel_id", channel.value},
                                     {"message", "post " + std::to_string(outbox_id)},
                                     {"props", {{"incident_bot_outbox_id", outbox_id}}}})
                .ok);
  const auto kept = client.server.posts_in(channel.value);
  REQUIRE(kept.size() == 3);
  CHECK(kept[2].props.at("incident_bot_outbox_id") == 3);
  CHECK(kept[0].create_at < kept[1].create_at);

  const auto first = client.call(bot::HttpMethod::get, "/channels/" + channel.value + "/posts?page=0&per_page=2");
  REQUIRE(first.ok);
  const auto& order = first.body.at("order").as_array();
  REQUIRE(order.size() == 2);
  CHECK(order.at(0) == kept[2].id.c_str());
  CHECK(order.at(1) == kept[1].id.c_str());
  CHECK(first.body.at("has_next") == true);
  const auto& newest = first.body.at("posts").at(kept[2].id).as_object();
  CHECK(newest.at("message") == "post 3");
  CHECK(newest.at("channel_id") == channel.value.c_str());
  CHECK(newest.at("user_id") == client.server.bot_id().c_str());
  CHECK(newest.at("props").at("incident_bot_outbox_id") == 3);
  CHECK(newest.at("create_at") == kept[2].create_at);

  const auto second = client.call(bot::HttpMethod::get, "/channels/" + channel.value + "/posts?page=1&per_page=2");
  REQUIRE(second.body.at("order").as_array().size() == 1);
  CHECK(second.body.at("order").at(0) == kept[0].id.c_str());
  CHECK(second.body.at("has_next") == false);

  const auto unknown = client.call(bot::HttpMethod::get, "/channels/" + fakes::mattermost_id("nowhere") + "/posts");
  CHECK(unknown.http_status == 404);
  CHECK(unknown.body.at("status_code") == 404);
  CHECK_FALSE(unknown.error.empty());
}

TEST_CASE("mattermost stand-in: a dropped answer leaves the post made and the client without an answer") {
  MattermostClient client;
  const std::string channel = fakes::mattermost_id("chan", 7);
  client.server.answer_dropped("POST /posts", 1);
  bot::HttpRequest request;
  request.url = client.server.url() + "/api/v4/posts";
  request.headers = {{"Authorization", std::string("Bearer ") + mattermost_token}, {"Content-Type", "application/json"}};
  request.body = json::serialize(json::object{{"channel_id", channel}, {"message", "once"}, {"props", {{"k", "v"}}}});
  request.timeout = 5s;
  const auto lost = client.run(client.http.send(request));
  CHECK(lost.ec);
  CHECK(lost.status == 0);
  CHECK(client.server.requests("POST /posts").at(0).status == 0);
  const auto kept = client.server.posts_in(channel);
  REQUIRE(kept.size() == 1);
  CHECK(kept[0].props.at("k") == "v");
  const auto listed = client.call(bot::HttpMethod::get, "/channels/" + channel + "/posts");
  CHECK(listed.body.at("order").at(0) == kept[0].id.c_str());
}

TEST_CASE("mattermost stand-in: a created channel is found by name with its creator, and a foreign name is taken") {
  MattermostClient client;
  const std::string team = fakes::mattermost_id("team");
  const auto created = client.run(client.api.create_channel(team, "inc-1-checkout", "INC-1 checkout", true));
  REQUIRE(created.ok());
  const auto found = client.call(bot::HttpMethod::get, "/teams/" + team + "/channels/name/inc-1-checkout");
  REQUIRE(found.ok);
  CHECK(found.body.at("id") == created.value.c_str());
  CHECK(found.body.at("name") == "inc-1-checkout");
  CHECK(found.body.at("display_name") == "INC-1 checkout");
  CHECK(found.body.at("type") == "P");
  CHECK(found.body.at("team_id") == team.c_str());
  CHECK(found.body.at("creator_id") == client.server.bot_id().c_str());

  client.server.add_foreign_channel("inc-2-taken", fakes::mattermost_id("foreign"));
  const auto taken = client.run(client.api.create_channel(team, "inc-2-taken", "INC-2 taken", false));
  CHECK(taken.result.disposition == bot::Disposition::rename);
  CHECK_THAT(taken.result.error, Catch::Contains("exists"));
  const auto foreign = client.call(bot::HttpMethod::get, "/teams/" + team + "/channels/name/inc-2-taken");
  CHECK(foreign.body.at("id") == fakes::mattermost_id("foreign").c_str());
  CHECK(foreign.body.at("creator_id") != client.server.bot_id().c_str());

  const std::string alice = fakes::mattermost_id("alice");
  const auto direct = client.run(client.api.direct_channel(alice));
  REQUIRE(direct.ok());
  CHECK(client.server.direct_channel_of(alice) == direct.value);
}

TEST_CASE("slack stand-in: conversations.members lists the creator, the invited and the joined, page by page") {
  SlackClient client;
  const auto created = client.call("conversations.create", {{"name", "inc-5-secret"}, {"is_private", true}});
  const std::string channel(created.at("channel").at("id").as_string());
  client.call("conversations.invite", {{"channel", channel}, {"users", "U0ALICE,U0BOB"}});
  client.call("conversations.invite", {{"channel", channel}, {"users", "U0ALICE"}});
  client.slack.add_member(channel, "U0CAROL");
  const auto first = client.call("conversations.members", {{"channel", channel}, {"limit", 3}});
  CHECK(json::serialize(first.at("members")) == R"(["UBOT","U0ALICE","U0BOB"])");
  const std::string cursor(first.at("response_metadata").at("next_cursor").as_string());
  REQUIRE_FALSE(cursor.empty());
  const auto last = client.call("conversations.members", {{"channel", channel}, {"limit", 3}, {"cursor", cursor}});
  CHECK(json::serialize(last.at("members")) == R"(["U0CAROL"])");
  CHECK(last.at("response_metadata").at("next_cursor") == "");
  const auto unknown = client.call("conversations.members", {{"channel", "C999"}});
  CHECK(unknown.at("ok") == false);
  CHECK(unknown.at("error") == "channel_not_found");
}

TEST_CASE("mattermost stand-in: a channel's members are its creator and everyone added, as ChannelMember objects") {
  MattermostClient client;
  const std::string team = fakes::mattermost_id("team");
  const auto created = client.run(client.api.create_channel(team, "inc-1-secret", "INC-1 secret", true));
  REQUIRE(created.ok());
  const std::string alice = fakes::mattermost_id("alice");
  REQUIRE(client.run(client.api.add_member(created.value, alice)).ok);
  client.server.add_member(created.value, fakes::mattermost_id("carol"));
  const auto page = client.call(bot::HttpMethod::get, "/channels/" + created.value + "/members?page=0&per_page=2");
  REQUIRE(page.ok);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].at("user_id") == client.server.bot_id().c_str());
  CHECK(page.items[1].at("user_id") == alice.c_str());
  CHECK(page.items[1].at("channel_id") == created.value.c_str());
  CHECK(page.items[1].at("roles") == "channel_user");
  const auto next = client.call(bot::HttpMethod::get, "/channels/" + created.value + "/members?page=1&per_page=2");
  REQUIRE(next.items.size() == 1);
  CHECK(next.items[0].at("user_id") == fakes::mattermost_id("carol").c_str());
  CHECK(client.call(bot::HttpMethod::get, "/channels/" + fakes::mattermost_id("none") + "/members").http_status == 404);
}
