#include "bot/mattermost/command_receiver.hpp"
#include "bot/mattermost/dialog.hpp"
#include "bot/net/form.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <thread>

using namespace incident_bot;
namespace json = boost::json;

namespace {

constexpr const char* command_token = "mm-command-token-for-tests";
const std::string alice = fakes::mattermost_id("alice");
const std::string bob = fakes::mattermost_id("bob");
const std::string town_square = fakes::mattermost_id("townsquare");

bot::Secrets mattermost_secrets() {
  bot::Secrets secrets;
  secrets.mattermost_command_token = command_token;
  return secrets;
}

struct MattermostBot {
  fakes::RunningBot bot{bot::Config{}, mattermost_secrets()};
  fakes::MattermostSender mattermost{bot.port(), command_token};

  json::object command(const std::string& text, const std::map<std::string, std::string>& mentions = {}) {
    const auto answer = mattermost.command(text, town_square, alice, "alice", mentions);
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

TEST_CASE("mattermost: a slash command declares — the reply is Markdown JSON, in channel") {
  MattermostBot m;
  const auto reply = m.command("declare Checkout & pixel <!channel> sev2");
  CHECK(reply.at("response_type") == "in_channel");
  CHECK_FALSE(reply.contains("blocks"));
  CHECK_THAT(text_of(reply), Catch::StartsWith("INC-1 declared: Checkout & pixel <!channel> (sev2)"));
  CHECK_THAT(text_of(reply), Catch::Contains("@alice is detector and owner"));
  CHECK(text_of(reply).find(alice) == std::string::npos);
  REQUIRE(m.open().size() == 1);
  CHECK(m.open()[0].platform == "mattermost");
  CHECK(m.open()[0].owner == alice);
  CHECK(m.open()[0].declared_in == town_square);
}

TEST_CASE("mattermost: help and errors are ephemeral — the card is **bold**, never Slack's *bold*") {
  MattermostBot m;
  CHECK(m.command("help").at("response_type") == "ephemeral");
  const auto error = m.command("severity sev9");
  CHECK(error.at("response_type") == "ephemeral");
  CHECK_THAT(text_of(error), Catch::Contains("usage: severity"));
  m.command("declare Pixel broken");
  const auto status = text_of(m.command("INC-1 status"));
  CHECK_THAT(status, Catch::Contains("**INC-1 · Pixel broken**"));
  CHECK(status.find("<@") == std::string::npos);
}

TEST_CASE("mattermost: @mentions become user ids through user_mentions_ids — replies name them again") {
  MattermostBot m;
  m.command("declare Pixel broken");
  const auto reply = m.command("INC-1 role owner @bob", {{"bob", bob}});
  CHECK_THAT(text_of(reply), Catch::Contains("@bob"));
  CHECK(text_of(reply).find(bob) == std::string::npos);
  CHECK(m.open()[0].owner == bob);
  // Known from then on, even where Mattermost sends no ids.
  m.command("INC-1 role comms @bob");
  CHECK(m.open()[0].comms == bob);
}

TEST_CASE("mattermost: a missing or wrong command token is refused with 401 and changes nothing") {
  MattermostBot m;
  const std::string body = m.mattermost.form("declare Pixel broken", town_square, alice, "alice");
  const std::string without_token = body.substr(0, body.find("&token=")) + body.substr(body.find("&trigger_id="));
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", without_token).status == 401);
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", without_token,
                         {{"Authorization", "Token wrong-token"}}).status == 401);
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", without_token,
                         {{"Authorization", std::string("Bearer ") + command_token}}).status == 401);
  const auto wrong = fakes::MattermostSender(m.bot.port(), "mm-command-token-for-tesTS").command("declare x", town_square, alice, "alice");
  CHECK(wrong.status == 401);
  CHECK(fakes::http_call(m.bot.port(), "GET", "/mattermost/commands?text=declare+x&channel_id=c&user_id=u", "").status == 401);
  CHECK(m.open().empty());
  // The token field alone is enough (older Mattermost sends no header).
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", body).status == 200);
  CHECK(m.open().size() == 1);
}

TEST_CASE("mattermost: GET carries the fields in the query string — POST in the body — other methods 405") {
  MattermostBot m;
  const auto got = m.mattermost.command_by_get("declare Pixel broken", town_square, alice, "alice");
  REQUIRE(got.status == 200);
  CHECK_THAT(json::parse(got.body).at("text").as_string().c_str(), Catch::StartsWith("INC-1 declared: Pixel broken"));
  const auto posted = m.mattermost.command("INC-1 status", town_square, alice, "alice");
  CHECK(posted.status == 200);
  CHECK(fakes::http_call(m.bot.port(), "PUT", "/mattermost/commands", "").status == 405);
  CHECK(m.open().size() == 1);
}

TEST_CASE("mattermost: a command without channel or user is a 400 — the health check answers with Mattermost alone") {
  MattermostBot m;
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", std::string("text=declare+x&token=") + command_token).status == 400);
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/commands", "text=100%&token=x", {{"Authorization", std::string("Token ") + command_token}}).status == 400);
  CHECK(fakes::http_call(m.bot.port(), "GET", "/healthz", "").status == 200);
  CHECK(fakes::http_call(m.bot.port(), "POST", "/slack/commands", "").status == 404);
}

TEST_CASE("mattermost: the token comparison: header or field, exact, case-insensitive scheme — empty expected accepts nothing") {
  CHECK(bot::mattermost_token_matches("abc", "Token abc", ""));
  CHECK(bot::mattermost_token_matches("abc", "token abc", ""));
  CHECK(bot::mattermost_token_matches("abc", "", "abc"));
  CHECK_FALSE(bot::mattermost_token_matches("abc", "Token abcd", ""));
  CHECK_FALSE(bot::mattermost_token_matches("abc", "Token ab", "ab"));
  CHECK_FALSE(bot::mattermost_token_matches("abc", "Bearer abc", ""));
  CHECK_FALSE(bot::mattermost_token_matches("", "Token ", ""));
  CHECK_FALSE(bot::mattermost_token_matches("", "", ""));
}

TEST_CASE("mattermost: mentions_from pairs repeated user_mentions with user_mentions_ids") {
  const bot::FormPairs fields{{"user_mentions", "bob"}, {"user_mentions_ids", "b1"}, {"user_mentions", "@carol"},
                              {"user_mentions_ids", "c1"}, {"user_mentions", "dan"}};
  const auto mentions = bot::mentions_from(fields);
  CHECK(mentions.size() == 2);
  CHECK(mentions.at("bob") == "b1");
  CHECK(mentions.at("carol") == "c1");
}

TEST_CASE("mattermost: the reply JSON carries response_type and text only") {
  const auto body = json::parse(bot::mattermost_command_reply({workflows::Visibility::in_channel, "**x**", "[]"})).as_object();
  CHECK(body.at("response_type") == "in_channel");
  CHECK(body.at("text") == "**x**");
  CHECK(body.size() == 2);
  CHECK(json::parse(bot::mattermost_command_reply({})).at("response_type") == "ephemeral");
}

TEST_CASE("mattermost: a thousand commands with a wrong token log two lines without their query; later, their count") {
  fakes::CapturedLog log;
  fakes::RunningBot bot(bot::Config{}, mattermost_secrets(), 1'795'000'000, fakes::quick_socket_mode(), log.logger());
  const std::string leaked = "mm-wrong-token-in-the-query";
  const std::string query = "?token=" + leaked + "&text=declare+x&channel_id=c&user_id=u";
  for (int i = 0; i < 1000; ++i)
    REQUIRE(fakes::http_call(bot.port(), "GET", "/mattermost/commands" + query, "").status == 401);
  CHECK(log.count("refused") == 1);
  CHECK(log.count("refused GET /mattermost/commands: no valid Mattermost command token") == 1);

  bot.advance(61);
  CHECK(fakes::http_call(bot.port(), "POST", "/mattermost/commands", "token=" + leaked).status == 401);
  CHECK(log.count("refused 999 more Mattermost commands without a valid token in the minute after the last one logged") ==
        1);
  CHECK(log.count("refused POST /mattermost/commands: no valid Mattermost command token") == 1);
  CHECK(log.count("refused") == 3);
  for (const auto& line : log.lines()) {
    CHECK(line.find(leaked) == std::string::npos);
    if (line.find("refused") != std::string::npos) CHECK(line.find('?') == std::string::npos);
  }
}

TEST_CASE("mattermost: the timeline of a 5,000-entry incident answers within a post's 16,383 characters", "[limits]") {
  MattermostBot m;
  m.command("declare Pixel broken");
  m.bot.on_bot_thread([&] {
    std::vector<TimelineEntry> entries;
    for (int i = 0; i < 5000; ++i)
      entries.push_back({1'795'000'000 + i, alice, "update", "step " + std::to_string(i) + std::string(80, '.')});
    store::append_timeline(m.bot.runtime().db(), 1, entries);
  });
  for (const std::string verb : {"INC-1 timeline", "INC-1 postmortem"}) {
    INFO(verb);
    const std::string text = text_of(m.command(verb));
    CHECK(text.size() <= 16'383);
    CHECK_THAT(text, Catch::Contains("step 4999."));
    CHECK_THAT(text, Catch::Contains("earlier entries not shown; the whole timeline: `incident-bot export INC-1 --format md`"));
    CHECK_THAT(text, Catch::Contains("@alice"));
  }
}

namespace {

// A bot that can call Mattermost back, as opening a dialog needs.
struct MattermostDialogWorld {
  fakes::MattermostServer server{{.token = "bot-token"}};
  fakes::RunningBot bot{config(), secrets()};
  fakes::MattermostSender mattermost{bot.port(), command_token};

  bot::Config config() const {
    bot::Config config;
    config.mattermost.url = server.url();
    config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
    config.mattermost.team_id = fakes::mattermost_id("team");
    return config;
  }
  static bot::Secrets secrets() {
    bot::Secrets secrets = mattermost_secrets();
    secrets.mattermost_bot_token = "bot-token";
    return secrets;
  }
  // The dialog opened for the last command, as Mattermost was asked to show it.
  fakes::MattermostRequest opened(std::size_t count = 1) {
    REQUIRE(server.wait_for("POST /actions/dialogs/open", count, std::chrono::seconds(5)));
    return server.requests("POST /actions/dialogs/open").at(count - 1);
  }
  // What a Mattermost client posts to the dialog's URL when the user presses Declare.
  fakes::HttpAnswer submit(const fakes::MattermostRequest& opened, const std::string& user, json::object submission,
                           const std::string& channel = town_square) {
    const auto& dialog = opened.body.at("dialog").as_object();
    const json::object body{{"type", "dialog_submission"},        {"url", opened.arg("url")},
                            {"callback_id", dialog.at("callback_id")}, {"state", dialog.at("state")},
                            {"user_id", user},                        {"channel_id", channel},
                            {"team_id", fakes::mattermost_id("team")}, {"submission", std::move(submission)},
                            {"cancelled", false}};
    return fakes::http_call(bot.port(), "POST", "/mattermost/dialogs", json::serialize(body),
                            {{"Content-Type", "application/json"}});
  }
  std::vector<Incident> open() {
    std::vector<Incident> incidents;
    bot.on_bot_thread([&] { incidents = store::open_incidents(bot.runtime().db()); });
    return incidents;
  }
};

json::object declare_fields(std::string_view title) {
  return {{"title", title}, {"severity", "sev2"}, {"layer", "delivery"}, {"private", false}, {"symptom", "card payments 502"}};
}

}  // namespace

TEST_CASE("mattermost: /incident alone opens the declare dialog; its submission declares once, however often it comes") {
  MattermostDialogWorld m;
  const auto answer = m.mattermost.command("", town_square, alice, "alice");
  REQUIRE(answer.status == 200);
  CHECK(json::parse(answer.body).at("text") == "");
  const auto opened = m.opened();
  CHECK_THAT(opened.arg("trigger_id"), Catch::StartsWith("mmtrigger"));
  CHECK(opened.arg("url") == "http://127.0.0.1:" + std::to_string(m.bot.port()) + "/mattermost/dialogs");
  const auto& dialog = opened.body.at("dialog").as_object();
  CHECK(dialog.at("callback_id") == "incident_declare");
  CHECK(dialog.at("elements").as_array().size() == 5);

  for (int delivery = 0; delivery < 2; ++delivery) {
    const auto submitted = m.submit(opened, alice, declare_fields("Checkout @channel down"));
    REQUIRE(submitted.status == 200);
    CHECK(json::parse(submitted.body) == json::object{});
  }
  REQUIRE(m.open().size() == 1);
  const Incident incident = m.open()[0];
  CHECK(incident.title == "Checkout @channel down");
  CHECK(incident.severity == 2);
  CHECK(incident.layer == "delivery");
  CHECK(incident.symptom == "card payments 502");
  CHECK(incident.owner == alice);
  CHECK(incident.declared_in == town_square);
  REQUIRE(m.server.wait_for("POST /channels", 1, std::chrono::seconds(5)));
  // The declare reply a typed command gets comes as a post in the channel the dialog was opened from.
  bool replied = false;
  for (int tries = 0; tries < 100 && !replied; ++tries) {
    for (const auto& post : m.server.posts_in(town_square)) {
      replied |= post.message.find("INC-1 declared") != std::string::npos;
      CHECK(post.message.find("@channel") == std::string::npos);  // neutralised, as every post is
    }
    if (!replied) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(replied);
  CHECK(m.server.count("POST /channels") == 1);

  // declare alone opens a dialog too; a second dialog is a second incident.
  m.mattermost.command("declare", town_square, alice, "alice");
  CHECK(m.submit(m.opened(2), alice, declare_fields("Pixel broken")).status == 200);
  CHECK(m.open().size() == 2);
}

TEST_CASE("mattermost: a dialog field at fault stays open with the reason under it; nothing is declared") {
  MattermostDialogWorld m;
  m.mattermost.command("declare", town_square, alice, "alice");
  const auto opened = m.opened();
  const auto untitled = m.submit(opened, alice, declare_fields("   "));
  REQUIRE(untitled.status == 200);
  CHECK(json::parse(untitled.body) == json::parse(R"({"errors":{"title":"missing title"}})"));
  auto fields = declare_fields("Checkout down");
  fields["layer"] = "payments";
  const auto stale = json::parse(m.submit(opened, alice, fields).body);
  CHECK_THAT(std::string(stale.at("errors").at("layer").as_string()), Catch::StartsWith("unknown layer 'payments'"));
  CHECK(m.open().empty());
  CHECK(m.submit(opened, alice, declare_fields("Checkout down")).status == 200);  // fixed, the same dialog declares
  CHECK(m.open().size() == 1);
}

TEST_CASE("mattermost: a dialog submission with a forged, borrowed or expired state is refused 401; bad JSON 400") {
  MattermostDialogWorld m;
  m.mattermost.command("", town_square, alice, "alice");
  const auto opened = m.opened();
  CHECK(m.submit(opened, bob, declare_fields("Someone else's form")).status == 401);
  CHECK(m.submit(opened, alice, declare_fields("Another channel"), fakes::mattermost_id("random")).status == 401);
  auto forged = opened;
  auto& state = forged.body.as_object()["dialog"].as_object()["state"];
  std::string text(state.as_string());
  text.replace(text.find(alice), alice.size(), bob);
  state = text;
  CHECK(m.submit(forged, bob, declare_fields("Forged")).status == 401);
  CHECK(fakes::http_call(m.bot.port(), "POST", "/mattermost/dialogs", "{\"user_id\":", {}).status == 400);
  m.bot.advance(bot::dialog_lifetime + 1);
  CHECK(m.submit(opened, alice, declare_fields("Too late")).status == 401);
  CHECK(m.open().empty());
}

TEST_CASE("mattermost: without a bot token no dialog can open: declare alone gets the usage, a bare command the help") {
  MattermostBot m;
  CHECK_THAT(text_of(m.command("declare")), Catch::Contains("missing title"));
  CHECK_THAT(text_of(m.command("")), Catch::Contains("Incident commands"));
}
