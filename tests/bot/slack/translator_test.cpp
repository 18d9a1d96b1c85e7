#include "bot/slack/translator.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cctype>
#include <string>
#include <vector>

using namespace incident_bot;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* secret = "signing-secret-for-tests";
constexpr const char* token = "xoxb-test-token";

bot::Config config_for(const fakes::SlackApiServer& slack_api) {
  bot::Config config;
  config.slack.api_url = slack_api.url();
  config.tls.ca_file = slack_api.ca_file();
  config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// unless asked for TLS
  return config;
}

struct SlackWorld {
  explicit SlackWorld(fakes::SlackApiServerOptions options = {}) : api(options) {}
  fakes::SlackApiServer api;
  std::unique_ptr<fakes::RunningBot> bot =
      std::make_unique<fakes::RunningBot>(config_for(api), bot::Secrets{secret, token});
  fakes::SlackSender slack() { return fakes::SlackSender(bot->port(), secret); }

  std::string command(const std::string& text, const std::string& channel = "C0GENERAL",
                      const std::string& user = "U0ALICE", const std::string& trigger = "") {
    const auto answer = slack().command(text, bot->now(), channel, user, trigger);
    REQUIRE(answer.status == 200);
    return answer.body;
  }
};

}  // namespace

TEST_CASE("declare creates the incident channel, invites, sets the topic, posts and pins the card, announces") {
  SlackWorld world;
  world.command("declare Checkout fails on mobile sev2");
  REQUIRE(world.api.wait_for_calls("conversations.setTopic", 1, 5s));
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 2, 5s));

  const auto created = world.api.calls("conversations.create");
  REQUIRE(created.size() == 1);
  CHECK(created[0].arg("name") == "inc-1-checkout-fails-on-mobile");
  CHECK(created[0].body.as_object().at("is_private") == false);
  CHECK(created[0].header("authorization") == std::string("Bearer ") + token);
  CHECK_THAT(created[0].header("content-type"), Catch::StartsWith("application/json; charset=utf-8"));

  const std::string channel = world.api.calls("chat.postMessage")[0].arg("channel");
  const auto posts = world.api.calls("chat.postMessage");
  CHECK(posts[0].arg("channel") == channel);  // the card, in the new channel
  CHECK_THAT(posts[0].arg("text"), Catch::Contains("*INC-1 · Checkout fails on mobile*"));
  const auto& blocks = posts[0].body.as_object().at("blocks").as_array();
  CHECK(blocks.back().as_object().at("type") == "actions");
  CHECK(posts[1].arg("channel") == "incidents");  // the announcement, linking the channel
  CHECK_THAT(posts[1].arg("text"), Catch::Contains("<#" + channel + ">"));

  REQUIRE(world.api.wait_for_calls("pins.add", 1, 5s));
  CHECK(world.api.calls("pins.add")[0].arg("channel") == channel);
  const auto invites = world.api.calls("conversations.invite");
  REQUIRE(invites.size() == 1);
  CHECK(invites[0].arg("users") == "U0ALICE");
  CHECK_THAT(world.api.calls("conversations.setTopic")[0].arg("topic"), Catch::StartsWith("INC-1 · sev2 · triage · owner <@U0ALICE>"));
}

TEST_CASE("a private incident gets a private channel and no announcement") {
  SlackWorld world;
  world.command("declare Credential leak sev1 private");
  REQUIRE(world.api.wait_for_calls("conversations.setTopic", 1, 5s));
  CHECK(world.api.calls("conversations.create")[0].body.as_object().at("is_private") == true);
  for (const auto& post : world.api.calls("chat.postMessage")) CHECK(post.arg("channel") != "incidents");
}

TEST_CASE("a taken channel name gets a suffix") {
  SlackWorld world;
  world.api.answer_error("conversations.create", 1, "name_taken");
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("conversations.create", 2, 5s));
  CHECK(world.api.calls("conversations.create")[1].arg("name") == "inc-1-pixel-broken-2");
}

TEST_CASE("an update in the incident channel is posted there and the card is edited, not reposted") {
  SlackWorld world;
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("pins.add", 1, 5s));
  const std::string channel = world.api.calls("chat.postMessage")[0].arg("channel");
  const std::string card_ts = world.api.calls("chat.postMessage")[0].body.as_object().contains("ts") ? "" : "";
  world.command("update conversions missing in Meta | scope: all campaigns | layer: measurement | confidence: high | next: compare store orders <@U0DAN>", channel);
  REQUIRE(world.api.wait_for_calls("chat.update", 1, 5s));
  const auto update = world.api.calls("chat.update")[0];
  CHECK(update.arg("channel") == channel);
  CHECK_THAT(update.arg("text"), Catch::Contains("investigating"));
  CHECK_THAT(update.arg("text"), Catch::Contains("*Likely layer:* measurement"));
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 4, 5s));
  bool posted_in_channel = false;
  for (const auto& post : world.api.calls("chat.postMessage"))
    posted_in_channel |= post.arg("channel") == channel && post.arg("text").find("status update") != std::string::npos;
  CHECK(posted_in_channel);
  (void)card_ts;
}

TEST_CASE("role holders are invited as roles are given") {
  SlackWorld world;
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("conversations.invite", 1, 5s));
  world.command("INC-1 role specialist <@U0DAN|dan>");
  REQUIRE(world.api.wait_for_calls("conversations.invite", 2, 5s));
  CHECK(world.api.calls("conversations.invite")[1].arg("users") == "U0DAN");
}

TEST_CASE("a 429 is waited out for its Retry-After, then the post goes through") {
  SlackWorld world;
  world.api.answer_rate_limited("chat.postMessage", 1, 1s);
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 3, 10s));
  const auto posts = world.api.calls("chat.postMessage");
  CHECK(posts[0].status == 429);
  CHECK(posts[1].received_at - posts[0].received_at >= 900ms);
  CHECK(posts[1].status == 200);
}

TEST_CASE("/incident update alone opens the modal with the trigger id") {
  SlackWorld world;
  world.command("declare Pixel broken");
  const std::string answer = world.command("INC-1 update", "C0GENERAL", "U0ALICE", "555.1.modal");
  CHECK(answer.empty());
  REQUIRE(world.api.wait_for_calls("views.open", 1, 5s));
  const auto view = world.api.calls("views.open")[0];
  CHECK(view.arg("trigger_id") == "555.1.modal");
  const auto& modal = view.body.as_object().at("view").as_object();
  CHECK(modal.at("callback_id") == "incident_update");
  CHECK(modal.at("private_metadata") == "1|C0GENERAL");
}

TEST_CASE("/incident alone opens the declare modal; its submission declares once, however often Slack delivers it") {
  SlackWorld world;
  CHECK(world.command("", "C0GENERAL", "U0ALICE", "556.1.declare").empty());
  REQUIRE(world.api.wait_for_calls("views.open", 1, 5s));
  const auto opened = world.api.calls("views.open")[0];
  CHECK(opened.arg("trigger_id") == "556.1.declare");
  const auto& modal = opened.body.as_object().at("view").as_object();
  CHECK(modal.at("callback_id") == "incident_declare");

  // What Slack sends back: the view as opened, with the state of each input.
  json::object view = modal;
  view["state"] = json::parse(R"({"values":{
    "title":{"value":{"type":"plain_text_input","value":"Checkout <!channel> down"}},
    "severity":{"value":{"type":"static_select","selected_option":{"value":"sev1"}}},
    "layer":{"value":{"type":"static_select","selected_option":{"value":"conversion"}}},
    "private":{"value":{"type":"checkboxes","selected_options":[]}},
    "symptom":{"value":{"type":"plain_text_input","value":"card payments return 502"}}}})");
  const std::string payload = json::serialize(json::object{
      {"type", "view_submission"}, {"trigger_id", "556.2.submit"}, {"user", {{"id", "U0ALICE"}}}, {"view", view}});
  for (int delivery = 0; delivery < 2; ++delivery) {
    const auto answer = world.slack().interaction(payload, world.bot->now());
    CHECK(answer.status == 200);
    CHECK(answer.body.empty());
  }
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 3, 5s));
  CHECK(world.api.calls("conversations.create").size() == 1);
  const auto created = world.api.calls("conversations.create")[0];
  CHECK_THAT(created.arg("name"), Catch::StartsWith("inc-1-checkout"));
  bool replied = false, carded = false;
  for (const auto& post : world.api.calls("chat.postMessage")) {
    const std::string text = post.arg("text");
    replied |= post.arg("channel") == "C0GENERAL" && text.find("INC-1 declared") != std::string::npos;
    carded |= text.find("card payments return 502") != std::string::npos;
    CHECK(text.find("<!channel>") == std::string::npos);
  }
  CHECK(replied);
  CHECK(carded);
}

TEST_CASE("a declare modal with a field at fault stays open with the reason under the field") {
  SlackWorld world;
  const std::string payload = R"({"type":"view_submission","trigger_id":"557.2","user":{"id":"U0ALICE"},
    "view":{"callback_id":"incident_declare","private_metadata":"C0GENERAL","state":{"values":{
    "title":{"value":{"type":"plain_text_input","value":"Checkout down"}},
    "severity":{"value":{"type":"static_select","selected_option":{"value":"sev7"}}}}}}})";
  const auto answer = world.slack().interaction(payload, world.bot->now());
  REQUIRE(answer.status == 200);
  const auto body = json::parse(answer.body).as_object();
  CHECK(body.at("response_action") == "errors");
  CHECK_THAT(std::string(body.at("errors").at("severity").as_string()), Catch::StartsWith("unknown severity 'sev7'"));
  CHECK(world.api.calls("conversations.create").empty());
}

TEST_CASE("a post not yet delivered when the bot stops is delivered after it starts again") {
  SlackWorld world;
  world.api.answer_http_status("chat.postMessage", 1000, 500);
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 1, 5s));
  world.bot->stop();
  world.api.clear();
  world.bot->advance(600);  // past the row's retry wait
  world.bot->start();
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 2, 10s));
  CHECK_THAT(world.api.calls("chat.postMessage")[0].arg("text"), Catch::Contains("INC-1"));
}

TEST_CASE("a post to a public channel the bot is not in joins it, then posts") {
  SlackWorld world;
  world.api.answer_error("chat.postMessage", 1, "not_in_channel");
  world.command("declare Pixel broken");
  REQUIRE(world.api.wait_for_calls("conversations.join", 1, 5s));
  REQUIRE(world.api.wait_for_calls("chat.postMessage", 3, 5s));
  const auto posts = world.api.calls("chat.postMessage");
  CHECK(world.api.calls("conversations.join")[0].arg("channel") == posts[0].arg("channel"));
  CHECK(posts[1].arg("channel") == posts[0].arg("channel"));
  CHECK(posts[1].status == 200);
  CHECK(posts[2].arg("channel") == "incidents");
}

namespace {

// A broadcast still armed in what was sent: a bare @word, or Slack's own <!word> token.
std::string armed_broadcast(std::string sent) {
  for (char& c : sent) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const std::string word : {"channel", "here", "everyone", "all"}) {
    for (const std::string lead : {"@", "<!"}) {
      for (auto at = sent.find(lead + word); at != std::string::npos; at = sent.find(lead + word, at + 1)) {
        const auto after = at + lead.size() + word.size();
        if (after == sent.size() || !(std::isalnum(static_cast<unsigned char>(sent[after])) || sent[after] == '_'))
          return sent.substr(at, lead.size() + word.size());
      }
    }
  }
  return "";
}

}  // namespace

TEST_CASE("slack: no spelling of a broadcast in a title or an update reaches Slack armed") {
  const std::vector<std::string> spellings{
      "@channel",  "@here",        "@everyone",          "@Channel!",        "(@HERE)",  "x.@here",
      "<!channel>", "<!here>",     "<!everyone>",        "<!channel|@channel>", "<@U0ADMIN>",
      "<@channel>", "[@everyone](https://x.example/@here)", "\u200B@here",   "&lt;!here&gt;"};
  SlackWorld world;
  int incidents = 0;
  for (const auto& spelling : spellings) {
    INFO(spelling);
    const std::string reply = world.command("declare Pixel " + spelling + " down");
    CHECK(armed_broadcast(reply).empty());
    ++incidents;
    REQUIRE(world.api.wait_for_calls("pins.add", incidents, 5s));
  }
  world.command("update conversions gone @here | next: page @channel", world.api.calls("chat.postMessage")[0].arg("channel"));
  REQUIRE(world.api.wait_for_calls("chat.update", 1, 5s));
  for (const auto& method : {"chat.postMessage", "chat.update", "conversations.setTopic"})
    for (const auto& call : world.api.calls(method)) {
      INFO(call.raw_body);
      CHECK(armed_broadcast(call.raw_body).empty());
    }
  // The words stay readable, with a zero-width space after the "@"; a user's <@U…> stays escaped text.
  CHECK_THAT(world.api.calls("chat.postMessage")[0].arg("text"), Catch::Contains("Pixel @\u200Bchannel down"));
  for (const auto& call : world.api.calls("chat.postMessage")) CHECK(call.raw_body.find("<@U0ADMIN>") == std::string::npos);
}
