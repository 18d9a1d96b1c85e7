#include "bot/slack/http_receiver.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
namespace json = boost::json;

namespace {

constexpr const char* secret = "8f742231b10e8888abcd99yyyzzz85a5";

struct SlackBot {
  fakes::RunningBot bot{bot::Config{}, bot::Secrets{secret}};
  fakes::SlackSender slack{bot.port(), secret};

  json::object command(const std::string& text, const std::string& channel = "C0GENERAL", const std::string& trigger = "") {
    const auto answer = slack.command(text, bot.now(), channel, "U0ALICE", trigger);
    REQUIRE(answer.status == 200);
    CHECK_THAT(answer.headers.at("content-type"), Catch::StartsWith("application/json"));
    return json::parse(answer.body).as_object();
  }
  std::vector<Incident> open() {
    std::vector<Incident> incidents;
    bot.on_bot_thread([&] { incidents = store::open_incidents(bot.runtime().db()); });
    return incidents;
  }
};

std::string text_of(const json::object& reply) { return std::string(reply.at("text").as_string()); }

}  // namespace

TEST_CASE("a signed slash command declares, in channel, within the HTTP answer") {
  SlackBot s;
  const auto reply = s.command("declare Checkout & pixel <!channel> sev2");
  CHECK(reply.at("response_type") == "in_channel");
  CHECK_THAT(text_of(reply), Catch::StartsWith("INC-1 declared: Checkout &amp; pixel &lt;!channel&gt; (sev2)"));
  CHECK_THAT(text_of(reply), Catch::Contains("<@U0ALICE> is detector and owner"));
  REQUIRE(reply.contains("blocks"));
  CHECK(reply.at("blocks").as_array().at(0).as_object().at("type") == "section");
  REQUIRE(s.open().size() == 1);
  CHECK(s.open()[0].title == "Checkout & pixel <!channel>");
  CHECK(s.open()[0].platform == "slack");
}

TEST_CASE("help and errors are ephemeral; an error is one line with the usage") {
  SlackBot s;
  CHECK(s.command("help").at("response_type") == "ephemeral");
  const auto error = s.command("severity sev9");
  CHECK(error.at("response_type") == "ephemeral");
  CHECK_THAT(text_of(error), Catch::Contains("usage: severity"));
  CHECK(text_of(error).find('\n') == std::string::npos);
}

TEST_CASE("unsigned, wrongly signed, stale and unsigned-header requests get 401") {
  SlackBot s;
  const std::string body = "channel_id=C1&user_id=U1&text=declare+x";
  CHECK(fakes::http_call(s.bot.port(), "POST", "/slack/commands", body).status == 401);
  CHECK(fakes::SlackSender(s.bot.port(), "wrong secret").post("/slack/commands", body, s.bot.now()).status == 401);
  CHECK(s.slack.post("/slack/commands", body, s.bot.now() - 301).status == 401);
  const auto answer = fakes::http_call(s.bot.port(), "POST", "/slack/commands", body,
                                       {{"X-Slack-Request-Timestamp", std::to_string(s.bot.now())}});
  CHECK(answer.status == 401);
  CHECK_THAT(answer.body, Catch::Contains("missing X-Slack-Signature"));
  CHECK(s.slack.post("/slack/interactivity", "payload=%7B%7D", s.bot.now() + 400).status == 401);
  CHECK(s.slack.post("/slack/events", "{}", s.bot.now() - 400).status == 401);
  CHECK(s.open().empty());
}

TEST_CASE("ssl_check is answered 200 without a signature, and does nothing") {
  SlackBot s;
  const auto answer = fakes::http_call(s.bot.port(), "POST", "/slack/commands", "ssl_check=1&token=x");
  CHECK(answer.status == 200);
  CHECK(answer.body.empty());
}

TEST_CASE("url_verification is answered with its challenge") {
  SlackBot s;
  const auto answer = s.slack.post("/slack/events", R"({"type":"url_verification","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","token":"x"})", s.bot.now());
  CHECK(answer.status == 200);
  CHECK(answer.body == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
}

TEST_CASE("routes: unknown 404, wrong method 405, oversized 413, malformed 400, healthz 200") {
  SlackBot s;
  CHECK(fakes::http_call(s.bot.port(), "GET", "/nowhere", "").status == 404);
  const auto wrong = fakes::http_call(s.bot.port(), "GET", "/slack/commands", "");
  CHECK(wrong.status == 405);
  CHECK(wrong.headers.at("allow") == "POST");
  CHECK(s.slack.post("/slack/commands", std::string(65 * 1024, 'a'), s.bot.now()).status == 413);
  CHECK(s.slack.post("/slack/commands", "text=100%&channel_id=C1", s.bot.now()).status == 400);
  CHECK(s.slack.post("/slack/commands", "text=declare+x", s.bot.now()).status == 400);  // no channel or user
  CHECK(s.slack.post("/slack/events", "{not json", s.bot.now()).status == 400);
  CHECK(s.slack.post("/slack/interactivity", "payload=%5B", s.bot.now()).status == 400);
  const auto health = fakes::http_call(s.bot.port(), "GET", "/healthz", "");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
}

TEST_CASE("a redelivered slash command (same trigger_id) gets the first answer and declares once") {
  SlackBot s;
  const auto first = s.command("declare Checkout down", "C0GENERAL", "4242.1.abc");
  const auto again = s.slack.command("declare Checkout down", s.bot.now(), "C0GENERAL", "U0ALICE", "4242.1.abc");
  CHECK(json::parse(again.body).as_object() == first);
  CHECK(s.open().size() == 1);
}

TEST_CASE("an app_mention event is a command; a retried event is processed once") {
  SlackBot s;
  const std::string event =
      R"({"type":"event_callback","event_id":"Ev01","event":{"type":"app_mention","user":"U0ALICE","channel":"C0GENERAL","text":"<@U0BOT> declare Pixel broken"}})";
  CHECK(s.slack.post("/slack/events", event, s.bot.now()).status == 200);
  CHECK(s.slack.post("/slack/events", event, s.bot.now(), {{"X-Slack-Retry-Num", "1"}, {"X-Slack-Retry-Reason", "http_timeout"}}).status == 200);
  REQUIRE(s.open().size() == 1);
  CHECK(s.open()[0].title == "Pixel broken");
}

TEST_CASE("the I'll be comms lead button assigns the comms role to whoever pressed it") {
  SlackBot s;
  s.command("declare Checkout down");
  const auto answer = s.slack.interaction(
      R"({"type":"block_actions","trigger_id":"77.1","user":{"id":"U0CAROL"},"channel":{"id":"C0INC"},"actions":[{"action_id":"take_comms","value":"1"}]})",
      s.bot.now());
  CHECK(answer.status == 200);
  CHECK(s.open()[0].comms == "U0CAROL");
}

TEST_CASE("a modal submission posts the update as the text form does, a bar in a field kept as written") {
  SlackBot s;
  s.command("declare Checkout down");
  const std::string view = R"({"type":"view_submission","trigger_id":"88.1","user":{"id":"U0BOB"},"view":{"callback_id":"incident_update","private_metadata":"1|C0INC","state":{"values":{
    "symptom":{"value":{"type":"plain_text_input","value":"orders down 35% | mobile"}},
    "scope":{"value":{"type":"plain_text_input","value":"paid social"}},
    "layer":{"value":{"type":"static_select","selected_option":{"value":"conversion"}}},
    "confidence":{"value":{"type":"static_select","selected_option":{"value":"medium"}}},
    "mitigation":{"value":{"type":"plain_text_input","value":null}},
    "next":{"value":{"type":"plain_text_input","value":"checkout error rate"}},
    "next_owner":{"value":{"type":"users_select","selected_user":"U0DAN"}},
    "next_update":{"value":{"type":"plain_text_input","value":"30m"}}}}}})";
  CHECK(s.slack.interaction(view, s.bot.now()).status == 200);
  const Incident incident = s.open().at(0);
  CHECK(incident.state == State::investigating);
  CHECK(incident.symptom == "orders down 35% | mobile");
  CHECK(incident.scope == "paid social");
  CHECK(incident.layer == "conversion");
  CHECK(incident.confidence == Confidence::medium);
  CHECK(incident.next_check == "checkout error rate");
  CHECK(incident.next_check_owner == "U0DAN");
  CHECK(incident.next_update_due == s.bot.now() + 30 * 60);
}

TEST_CASE("a thousand unsigned requests log two lines without their query; a minute later, one more with their count") {
  fakes::CapturedLog log;
  fakes::RunningBot bot(bot::Config{}, bot::Secrets{secret}, 1'795'000'000, fakes::quick_socket_mode(), log.logger());
  const std::string leaked = "xoxb-carried-in-the-query-string";
  for (int i = 0; i < 1000; ++i)
    REQUIRE(fakes::http_call(bot.port(), "POST", "/slack/commands?token=" + leaked, "text=declare+x").status == 401);
  CHECK(log.count("refused") == 1);
  CHECK(log.count("refused POST /slack/commands: missing X-Slack-Request-Timestamp") == 1);

  bot.advance(61);
  CHECK(fakes::SlackSender(bot.port(), "wrong secret").post("/slack/events?t=" + leaked, "{}", bot.now()).status == 401);
  CHECK(log.count("refused 999 more unsigned or badly signed Slack requests in the minute after the last one logged") == 1);
  CHECK(log.count("refused POST /slack/events: signature mismatch") == 1);
  CHECK(log.count("refused") == 3);
  for (const auto& line : log.lines()) {
    CHECK(line.find(leaked) == std::string::npos);
    if (line.find("refused") != std::string::npos) CHECK(line.find('?') == std::string::npos);
  }
}
