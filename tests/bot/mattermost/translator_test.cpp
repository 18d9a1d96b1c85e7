#include "bot/mattermost/translator.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

constexpr const char* command_token = "mm-command-token";
constexpr const char* bot_token = "mm-bot-token";
const std::string team = fakes::mattermost_id("teamacme");
const std::string town_square = fakes::mattermost_id("townsquare");
const std::string announcements = fakes::mattermost_id("announce");
const std::string alice = fakes::mattermost_id("alice");
const std::string bob = fakes::mattermost_id("bob");
const std::string carol = fakes::mattermost_id("carol");

struct MattermostWorld {
  MattermostWorld() {
    server.add_channel("incidents", announcements);
    server.add_user(alice, "alice");
    server.add_user(bob, "bob");
    server.add_user(carol, "carol");
  }
  fakes::MattermostServer server{{.token = bot_token}};
  bot::Config config_for() const {
    bot::Config config;
    config.mattermost.url = server.url();
    config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
    config.mattermost.team_id = team;
    config.mattermost.announce_channel = "incidents";
    return config;
  }
  bot::Secrets secrets() const {
    bot::Secrets secrets;
    secrets.mattermost_command_token = command_token;
    secrets.mattermost_bot_token = bot_token;
    return secrets;
  }
  std::unique_ptr<fakes::RunningBot> bot = std::make_unique<fakes::RunningBot>(config_for(), secrets());

  std::string command(const std::string& text, const std::string& channel = town_square,
                      const std::map<std::string, std::string>& mentions = {}) {
    const auto answer = fakes::MattermostSender(bot->port(), command_token).command(text, channel, alice, "alice", mentions);
    REQUIRE(answer.status == 200);
    return answer.body;
  }
};

}  // namespace

TEST_CASE("mattermost: declare creates the channel in the team, adds the declarer, sets the header, posts and pins the card, announces") {
  MattermostWorld world;
  world.command("declare Checkout fails on mobile sev2");
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 5s));
  REQUIRE(world.server.wait_for("PUT /channels/{id}/patch", 1, 5s));

  const auto created = world.server.requests("POST /channels");
  REQUIRE(created.size() == 1);
  CHECK(created[0].arg("name") == "inc-1-checkout-fails-on-mobile");
  CHECK(created[0].arg("team_id") == team);
  CHECK(created[0].arg("type") == "O");
  CHECK(created[0].arg("display_name") == "INC-1 Checkout fails on mobile");
  CHECK(created[0].authorization == std::string("Bearer ") + bot_token);
  CHECK(created[0].content_type == "application/json");
  const std::string channel = world.server.channel_id("inc-1-checkout-fails-on-mobile");

  const auto card = world.server.posts_in(channel).at(0);
  CHECK(card.pinned);
  CHECK_THAT(card.message, Catch::Contains("**INC-1 · Checkout fails on mobile**"));
  CHECK_THAT(card.message, Catch::Contains("@alice"));
  CHECK(card.message.find(alice) == std::string::npos);
  REQUIRE(world.server.wait_for("POST /posts", 2, 5s));
  const auto announced = world.server.posts_in(announcements);
  REQUIRE(announced.size() == 1);
  CHECK_THAT(announced[0].message, Catch::Contains("INC-1"));
  CHECK(announced[0].message.find("<#") == std::string::npos);
  CHECK(world.server.members(channel) == std::vector<std::string>{alice});
  CHECK_THAT(world.server.channel_header(channel), Catch::StartsWith("INC-1 · sev2 · triage · owner @alice"));
}

TEST_CASE("mattermost: a private incident gets a private channel and no announcement") {
  MattermostWorld world;
  world.command("declare Credential leak sev1 private");
  REQUIRE(world.server.wait_for("PUT /channels/{id}/patch", 1, 5s));
  CHECK(world.server.requests("POST /channels")[0].arg("type") == "P");
  CHECK(world.server.posts_in(announcements).empty());
}

TEST_CASE("mattermost: a taken channel name gets a suffix") {
  MattermostWorld world;
  world.server.add_channel("inc-1-pixel-broken", fakes::mattermost_id("someoneelse"));
  world.command("declare Pixel broken");
  REQUIRE(world.server.wait_for("POST /channels", 2, 5s));
  CHECK(world.server.requests("POST /channels")[1].arg("name") == "inc-1-pixel-broken-2");
}

TEST_CASE("mattermost: roles add members — a change in the incident channel patches the card, never reposts it") {
  MattermostWorld world;
  world.command("declare Pixel broken");
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 5s));
  const std::string channel = world.server.channel_id("inc-1-pixel-broken");
  world.command("role specialist @bob", channel, {{"bob", bob}});
  REQUIRE(world.server.wait_for("POST /channels/{id}/members", 2, 5s));
  CHECK(world.server.members(channel) == std::vector<std::string>{alice, bob});
  world.command("update conversions missing in Meta | layer: measurement | confidence: high | next: compare store orders @bob",
                channel, {{"bob", bob}});
  REQUIRE(world.server.wait_for("PUT /posts/{id}/patch", 2, 5s));
  const auto card = world.server.posts_in(channel).at(0);
  CHECK_THAT(card.message, Catch::Contains("investigating"));
  CHECK_THAT(card.message, Catch::Contains("**Likely layer:** measurement"));
  CHECK(world.server.count("POST /posts/{id}/pin") == 1);
  bool update_posted = false;
  for (const auto& post : world.server.posts_in(channel))
    update_posted |= post.message.find("status update") != std::string::npos && post.message.find("@bob") != std::string::npos;
  CHECK(update_posted);
}

TEST_CASE("mattermost: a 429 is waited out for its Retry-After or X-Ratelimit-Reset, then the post goes through") {
  const bool reset_header = GENERATE(false, true);
  MattermostWorld world;
  world.server.answer_rate_limited("POST /posts", 1, 1s, reset_header);
  world.command("declare Pixel broken");
  REQUIRE(world.server.wait_for("POST /posts", 3, 10s));
  const auto posts = world.server.requests("POST /posts");
  CHECK(posts[0].status == 429);
  CHECK(posts[1].received_at - posts[0].received_at >= 900ms);
  CHECK(posts[1].status == 201);
}

TEST_CASE("mattermost: server errors are retried within the call") {
  MattermostWorld world;
  world.server.answer_http_status("POST /posts", 2, 502);
  world.command("declare Pixel broken");
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 10s));
  const auto posts = world.server.requests("POST /posts");
  CHECK(posts[0].status == 502);
  CHECK(posts[1].status == 502);
  CHECK(posts[2].status == 201);
}

TEST_CASE("mattermost: a post still failing when the bot stops is delivered after it starts again") {
  MattermostWorld world;
  world.server.answer_http_status("POST /posts", 3, 500);  // every attempt of the first delivery
  world.command("declare Pixel broken");
  REQUIRE(world.server.wait_for("POST /posts", 3, 10s));
  world.bot->stop();
  world.bot->advance(10);
  world.bot->advance(600);  // past the row's retry wait
  world.bot->start();
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 10s));
  CHECK(world.server.requests("POST /posts")[3].status == 201);
  CHECK(world.server.count("POST /channels") == 1);  // the channel was remembered, not made twice
}

TEST_CASE("mattermost: the reminder ladder sends a direct message through a direct channel with the bot") {
  MattermostWorld world;
  world.command("declare Pixel broken sev1");
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 5s));
  world.bot->advance(3600 + 60);
  world.command("INC-1 status");  // any command rearms; the sweep runs at the deadline
  REQUIRE(world.server.wait_for("POST /channels/direct", 1, 10s));
  const auto direct = world.server.requests("POST /channels/direct")[0];
  REQUIRE(direct.body.is_array());
  CHECK(direct.body.as_array().at(0).as_string() == world.server.bot_id().c_str());
  CHECK(direct.body.as_array().at(1).as_string() == alice.c_str());
  REQUIRE(world.server.wait_for("GET /users/me", 1, 5s));
}

TEST_CASE("mattermost: a title <@channel> arrives neutralised in every post, the header and the reply") {
  MattermostWorld world;
  const std::string reply = world.command("declare <@channel> checkout down sev2");
  CHECK_THAT(reply, Catch::Contains("<@\u200Bchannel> checkout down"));
  REQUIRE(world.server.wait_for("POST /posts/{id}/pin", 1, 5s));
  REQUIRE(world.server.wait_for("PUT /channels/{id}/patch", 1, 5s));
  REQUIRE(world.server.wait_for("POST /posts", 2, 5s));
  const std::string channel = world.server.channel_id(world.server.requests("POST /channels").at(0).arg("name"));
  const auto card = world.server.posts_in(channel).at(0);
  CHECK_THAT(card.message, Catch::Contains("INC-1 · <@\u200Bchannel> checkout down"));
  std::vector<std::string> sent{reply};
  for (const auto& post : world.server.posts_in(channel)) sent.push_back(post.message);
  for (const auto& post : world.server.posts_in(announcements)) sent.push_back(post.message);
  for (const auto& patch : world.server.requests("PUT /channels/{id}/patch")) sent.push_back(patch.arg("header"));
  REQUIRE(sent.size() >= 4);
  for (const auto& text : sent) {
    INFO(text);
    CHECK(text.find("@channel") == std::string::npos);
  }
}
