// Who is in a private incident's channel, asked of each chat's stand-in over loopback and kept a while.
#include "bot/core/channel_members.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* signing_secret = "signing-secret-for-tests";
constexpr const char* slack_token = "xoxb-members-test-token";

std::string text_of(const std::string& body) {
  const auto reply = json::parse(body).as_object();
  return std::string(reply.at("text").as_string());
}

struct SlackWorld {
  fakes::SlackApiServer api;
  fakes::CapturedLog log;
  std::unique_ptr<fakes::RunningBot> bot;

  SlackWorld() {
    bot::Config config;
    config.slack.api_url = api.url();
    config.tls.allow_insecure_urls = true;  // the stand-in listens on loopback without TLS
    bot = std::make_unique<fakes::RunningBot>(config, bot::Secrets{signing_secret, slack_token}, 1'795'000'000,
                                              fakes::quick_socket_mode(), log.logger());
  }
  std::string command(const std::string& text, const std::string& user, const std::string& channel = "C0GENERAL") {
    const auto answer = fakes::SlackSender(bot->port(), signing_secret).command(text, bot->now(), channel, user);
    REQUIRE(answer.status == 200);
    return text_of(answer.body);
  }
  // A private incident with its channel made: the card is posted once the channel's id is remembered.
  std::string declare_private() {
    command("declare Credential leak sev1 private", "U0ALICE");
    REQUIRE(api.wait_for_calls("chat.postMessage", 1, 5s));
    return api.calls("chat.postMessage").at(0).arg("channel");  // the card, in the new channel
  }
};

const std::string team = fakes::mattermost_id("teamacme");
const std::string town_square = fakes::mattermost_id("townsquare");
const std::string alice = fakes::mattermost_id("alice");
const std::string carol = fakes::mattermost_id("carol");
const std::string mallory = fakes::mattermost_id("mallory");
constexpr const char* command_token = "mm-command-token";
constexpr const char* mattermost_token = "mm-bot-token";

struct MattermostWorld {
  fakes::MattermostServer server{{.token = mattermost_token}};
  fakes::CapturedLog log;
  std::unique_ptr<fakes::RunningBot> bot;

  MattermostWorld() {
    for (const auto& [id, name] : {std::pair{alice, "alice"}, std::pair{carol, "carol"}, std::pair{mallory, "mallory"}})
      server.add_user(id, name);
    bot::Config config;
    config.mattermost.url = server.url();
    config.tls.allow_insecure_urls = true;  // the stand-in listens on loopback without TLS
    config.mattermost.team_id = team;
    bot::Secrets secrets;
    secrets.mattermost_command_token = command_token;
    secrets.mattermost_bot_token = mattermost_token;
    bot = std::make_unique<fakes::RunningBot>(config, secrets, 1'795'000'000, fakes::quick_socket_mode(), log.logger());
  }
  std::string command(const std::string& text, const std::string& user, const std::string& name) {
    const auto answer = fakes::MattermostSender(bot->port(), command_token).command(text, town_square, user, name);
    REQUIRE(answer.status == 200);
    return text_of(answer.body);
  }
  std::string declare_private() {
    command("declare Credential leak sev1 private", alice, "alice");
    REQUIRE(server.wait_for("POST /posts", 1, 5s));
    return server.channel_id("inc-1-credential-leak");
  }
};

}  // namespace

TEST_CASE("slack: a member of a private incident's channel is let in, an outsider answered as for a missing incident") {
  SlackWorld world;
  const std::string channel = world.declare_private();
  REQUIRE(channel == "C1");
  world.api.add_member(channel, "U0CAROL");

  CHECK_THAT(world.command("INC-1 status", "U0CAROL"), Catch::Contains("Credential leak"));
  CHECK_THAT(world.command("list", "U0CAROL"), Catch::Contains("Credential leak"));
  CHECK(world.command("INC-1 status", "U0MALLORY") == "INC-1 does not exist.");
  CHECK(world.command("INC-1 role specialist <@U0MALLORY>", "U0MALLORY") == "INC-1 does not exist.");
  CHECK_THAT(world.command("list", "U0MALLORY"), !Catch::Contains("Credential leak"));
  CHECK_THAT(world.command("INC-1 status", "U0ALICE"), Catch::Contains("Credential leak"));
  // One question to Slack for all of them: the members are kept a while.
  CHECK(world.api.count("conversations.members") == 1);
  CHECK(world.api.calls("conversations.members").at(0).arg("channel") == channel);
}

TEST_CASE("slack: the members are asked again once kept a minute; someone who left is refused then") {
  SlackWorld world;
  const std::string channel = world.declare_private();
  world.api.add_member(channel, "U0CAROL");
  CHECK_THAT(world.command("INC-1 status", "U0CAROL"), Catch::Contains("Credential leak"));
  world.api.add_member(channel, "U0DAVE");
  CHECK(world.command("INC-1 status", "U0DAVE") == "INC-1 does not exist.");  // not yet known: kept from before
  world.bot->advance(61);
  CHECK_THAT(world.command("INC-1 status", "U0DAVE"), Catch::Contains("Credential leak"));
  CHECK(world.api.count("conversations.members") == 2);
}

TEST_CASE("slack: when Slack cannot say who is in the channel, members are refused and it is logged") {
  SlackWorld world;
  const std::string channel = world.declare_private();
  world.api.add_member(channel, "U0CAROL");
  world.api.answer_error("conversations.members", 1, "channel_not_found");
  CHECK(world.command("INC-1 status", "U0CAROL") == "INC-1 does not exist.");
  CHECK(world.log.count("could not learn who is in channel C1 (channel_not_found)") == 1);
  CHECK(world.log.count(slack_token) == 0);
  CHECK_THAT(world.command("INC-1 status", "U0CAROL"), Catch::Contains("Credential leak"));  // a failure is not kept
}

TEST_CASE("mattermost: a member of a private incident's channel is let in, an outsider answered as for a missing incident") {
  MattermostWorld world;
  const std::string channel = world.declare_private();
  REQUIRE_FALSE(channel.empty());
  world.server.add_member(channel, carol);

  CHECK_THAT(world.command("INC-1 status", carol, "carol"), Catch::Contains("Credential leak"));
  CHECK(world.command("INC-1 status", mallory, "mallory") == "INC-1 does not exist.");
  CHECK(world.command("INC-1 timeline", mallory, "mallory") == "INC-1 does not exist.");
  CHECK_THAT(world.command("list", mallory, "mallory"), !Catch::Contains("Credential leak"));
  CHECK_THAT(world.command("list", carol, "carol"), Catch::Contains("Credential leak"));
  CHECK(world.server.count("GET /channels/{id}/members") == 1);
  CHECK(world.server.requests("GET /channels/{id}/members").at(0).path == "/channels/" + channel + "/members");
}

TEST_CASE("mattermost: when Mattermost cannot say who is in the channel, members are refused and it is logged") {
  MattermostWorld world;
  const std::string channel = world.declare_private();
  world.server.add_member(channel, carol);
  world.server.answer_http_status("GET /channels/{id}/members", 1, 403);
  CHECK(world.command("INC-1 status", carol, "carol") == "INC-1 does not exist.");
  CHECK(world.log.count("could not learn who is in channel " + channel + " (fake.server_error)") == 1);
  CHECK(world.log.count(mattermost_token) == 0);
}
