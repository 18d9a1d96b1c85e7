#include "bot/slack/socket_mode.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"
#include "fakes/socket_mode_server.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

#include <sys/wait.h>

using namespace incident_bot;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* app_token = "xapp-1-A0FAKE-socket-test-token";

// A Slack Web API stand-in whose apps.connections.open points at a Socket Mode stand-in, and the bot.
struct SocketWorld {
  explicit SocketWorld(fakes::SocketModeServerOptions options = {}, bot::Secrets secrets = {std::nullopt, std::nullopt, app_token},
                       bot::SocketModeTuning tuning = fakes::quick_socket_mode(),
                       std::shared_ptr<spdlog::logger> logger = nullptr)
      : socket(options) {
    api.set_socket_mode_url(socket.url());
    bot::Config config;
    config.slack.api_url = api.url();
    config.tls.allow_insecure_urls = true;  // the Web API stand-in speaks http:// on loopback
    config.tls.ca_file = socket.ca_file();
    bot = std::make_unique<fakes::RunningBot>(config, std::move(secrets), 1'795'000'000, tuning, std::move(logger));
  }

  std::vector<Incident> open() {
    std::vector<Incident> incidents;
    bot->on_bot_thread([&] { incidents = store::open_incidents(bot->runtime().db()); });
    return incidents;
  }
  // Sends a slash command envelope and returns its ack's payload.
  json::object command(int connection, const std::string& envelope_id, const std::string& text,
                       const std::string& trigger) {
    socket.send_envelope(connection, envelope_id, "slash_commands", fakes::slash_command_payload(text, trigger));
    REQUIRE(socket.wait_for_acks(envelope_id, 1, 5s));
    const auto ack = socket.acks(envelope_id).back();
    REQUIRE(ack.payload.is_object());
    return ack.payload.as_object();
  }

  fakes::SlackApiServer api;
  fakes::SocketModeServer socket;
  std::unique_ptr<fakes::RunningBot> bot;
};

}  // namespace

TEST_CASE("socket mode: apps.connections.open with the app token, then the ticket URL; the bot pings") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  const auto opens = world.api.calls("apps.connections.open");
  REQUIRE(opens.size() == 1);
  CHECK(opens[0].header("authorization") == std::string("Bearer ") + app_token);
  CHECK(opens[0].raw_body.find(app_token) == std::string::npos);
  CHECK_THAT(world.socket.target(1), Catch::StartsWith("/link/?ticket=fake-ticket-1"));
  CHECK(world.socket.wait_for_pings(1, 3, 5s));
  CHECK(world.bot->runtime().has_adapter());
  // No signing secret: no Slack routes over HTTP; http.listen serves the status page only.
  REQUIRE(world.bot->port() != 0);
  CHECK(fakes::http_call(world.bot->port(), "POST", "/slack/commands", "text=help").status == 404);
  CHECK(fakes::http_call(world.bot->port(), "GET", "/status", "").status == 200);
}

TEST_CASE("socket mode: a slash command is acked once with the reply as payload, and a redelivery acked alike") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  const auto reply = world.command(1, "env-1", "declare Checkout &amp; pixel sev2", "111.1");
  CHECK(reply.at("response_type") == "in_channel");
  CHECK_THAT(std::string(reply.at("text").as_string()), Catch::StartsWith("INC-1 declared: Checkout &amp; pixel"));
  REQUIRE(reply.contains("blocks"));
  CHECK(reply.at("blocks").as_array().at(0).as_object().at("type") == "section");

  world.socket.send_envelope(1, "env-1", "slash_commands", fakes::slash_command_payload("declare Checkout &amp; pixel sev2", "111.1"));
  REQUIRE(world.socket.wait_for_acks("env-1", 2, 5s));
  const auto acks = world.socket.acks("env-1");
  CHECK(acks[1].raw == acks[0].raw);
  const auto help = world.command(1, "env-2", "help", "111.2");
  CHECK(help.at("response_type") == "ephemeral");
  REQUIRE(world.open().size() == 1);
  CHECK(world.open()[0].title == "Checkout & pixel");
  CHECK(world.socket.acks("env-1").size() == 2);
  CHECK(world.socket.acks("env-2").size() == 1);
}

TEST_CASE("socket mode: many envelopes in a burst are each acked exactly once, whole") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  for (int i = 0; i < 100; ++i)
    world.socket.send_envelope(1, "burst-" + std::to_string(i), "slash_commands",
                               fakes::slash_command_payload("help", "222." + std::to_string(i)));
  REQUIRE(world.socket.wait_for_ack_count(100, 10s));
  for (int i = 0; i < 100; ++i) CHECK(world.socket.acks("burst-" + std::to_string(i)).size() == 1);
  CHECK(world.socket.other_messages().empty());
}

TEST_CASE("socket mode: interactive and events_api envelopes are handled by the shared inbound code") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.socket.send_envelope(1, "ev-1", "events_api",
                             fakes::app_mention_payload("Ev0001", "<@U0BOT> declare Pixel broken"), false);
  REQUIRE(world.socket.wait_for_acks("ev-1", 1, 5s));
  CHECK(world.socket.acks("ev-1")[0].payload.is_null());
  // Slack's retry of the same event comes in a new envelope: acked, not processed again.
  world.socket.send_envelope(1, "ev-2", "events_api",
                             fakes::app_mention_payload("Ev0001", "<@U0BOT> declare Pixel broken"), false, 1);
  REQUIRE(world.socket.wait_for_acks("ev-2", 1, 5s));
  REQUIRE(world.open().size() == 1);

  world.socket.send_envelope(1, "ia-1", "interactive",
                             json::parse(R"({"type":"block_actions","trigger_id":"333.1","user":{"id":"U0CAROL"},
                               "channel":{"id":"C0INC"},"actions":[{"action_id":"take_comms","value":"1"}]})").as_object());
  REQUIRE(world.socket.wait_for_acks("ia-1", 1, 5s));
  CHECK(world.open()[0].comms == "U0CAROL");
  world.socket.send_envelope(1, "odd-1", "shortcut", {{"type", "shortcut"}});
  world.socket.send_envelope(1, "bad-1", "interactive", {{"type", "block_actions"}});
  REQUIRE(world.socket.wait_for_acks("odd-1", 1, 5s));
  REQUIRE(world.socket.wait_for_acks("bad-1", 1, 5s));
  CHECK(world.open().size() == 1);
}

namespace {

// A SocketWorld whose bot logs where the test can read it while the bot runs.
struct LoggedSocketWorld {
  fakes::CapturedLog log;
  SocketWorld world{{}, {std::nullopt, std::nullopt, app_token}, fakes::quick_socket_mode(), log.logger()};
};

}  // namespace

TEST_CASE("socket mode: a slash command that cannot be recorded is acked with an ephemeral 'run it again'") {
  LoggedSocketWorld logged;
  auto& world = logged.world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  fakes::StoreWriteLock busy(*world.bot);
  const auto reply = world.command(1, "busy-1", "declare Checkout down", "123.1");
  CHECK(reply.at("response_type") == "ephemeral");
  CHECK(reply.at("text") == "could not record this command — please run it again");
  CHECK(reply.size() == 2);
  busy.release();
  CHECK(world.open().empty());
  CAPTURE(logged.log.lines());
  CHECK(logged.log.count("Socket Mode: slash_commands envelope busy-1 failed:") == 1);
  CHECK(logged.log.count("asked to run it again") == 1);

  // The same envelope again is handled afresh, not answered from memory: the failure was not remembered.
  world.socket.send_envelope(1, "busy-1", "slash_commands",
                             fakes::slash_command_payload("declare Checkout down", "123.1"));
  REQUIRE(world.socket.wait_for_acks("busy-1", 2, 5s));
  const auto again = world.socket.acks("busy-1").back().payload;
  REQUIRE(again.is_object());
  CHECK(again.at("response_type") == "in_channel");
  CHECK(world.open().size() == 1);
}

TEST_CASE("socket mode: an event or interaction that cannot be recorded is left unacked, then kept once") {
  LoggedSocketWorld logged;
  auto& world = logged.world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.command(1, "setup", "declare Checkout down", "124.0");
  fakes::StoreWriteLock busy(*world.bot);
  const auto mention = fakes::app_mention_payload("Ev0BUSY", "<@U0BOT> INC-1 note seen at the edge");
  world.socket.send_envelope(1, "busy-ev", "events_api", mention, false);
  const auto take_comms = json::parse(R"({"type":"block_actions","trigger_id":"124.1","user":{"id":"U0CAROL"},
      "channel":{"id":"C0INC"},"actions":[{"action_id":"take_comms","value":"1"}]})").as_object();
  world.socket.send_envelope(1, "busy-ia", "interactive", take_comms);
  REQUIRE(logged.log.wait_for("not acked, so Slack delivers it again", 2, 5s));
  busy.release();
  world.command(1, "marker", "help", "124.2");  // acked after both: they had their chance
  CHECK(world.socket.acks("busy-ev").empty());
  CHECK(world.socket.acks("busy-ia").empty());
  CHECK(world.open()[0].comms.empty());
  CAPTURE(logged.log.lines());
  CHECK(logged.log.count("Socket Mode: events_api envelope busy-ev failed:") == 1);
  CHECK(logged.log.count("Socket Mode: interactive envelope busy-ia failed:") == 1);

  // Slack's redeliveries are processed now; the event once, though it comes a third time.
  world.socket.send_envelope(1, "busy-ev", "events_api", mention, false, 1);
  world.socket.send_envelope(1, "busy-ia", "interactive", take_comms);
  world.socket.send_envelope(1, "busy-ev-2", "events_api", mention, false, 2);
  REQUIRE(world.socket.wait_for_acks("busy-ev", 1, 5s));
  REQUIRE(world.socket.wait_for_acks("busy-ia", 1, 5s));
  REQUIRE(world.socket.wait_for_acks("busy-ev-2", 1, 5s));
  const auto incident = world.open().at(0);
  CHECK(incident.comms == "U0CAROL");
  std::vector<TimelineEntry> timeline;
  world.bot->on_bot_thread([&] { timeline = store::load_timeline(world.bot->runtime().db(), incident.number); });
  CHECK(std::count_if(timeline.begin(), timeline.end(), [](const TimelineEntry& entry) {
          return entry.kind == "note" && entry.text.find("seen at the edge") != std::string::npos;
        }) == 1);
}

TEST_CASE("socket mode: HTTP and Socket Mode at once feed the same dispatcher and store") {
  constexpr const char* secret = "signing-secret-for-both";
  SocketWorld world({}, bot::Secrets{secret, std::nullopt, app_token});
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  const fakes::SlackSender http(world.bot->port(), secret);
  REQUIRE(http.command("declare Checkout down", world.bot->now(), "C0GENERAL", "U0ALICE", "444.1").status == 200);
  const auto reply = world.command(1, "both-1", "INC-1 severity sev1", "444.2");
  CHECK_THAT(std::string(reply.at("text").as_string()), Catch::Contains("sev1"));
  // The same trigger over the other transport is the same delivery: the first answer, nothing redone.
  world.command(1, "both-2", "declare Checkout down", "444.1");
  REQUIRE(world.open().size() == 1);
  CHECK(world.open()[0].severity == 1);
}

TEST_CASE("socket mode: a dropped connection is replaced and envelopes flow again") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.socket.drop(1);
  REQUIRE(world.socket.wait_for_connection(2, 5s));
  CHECK(world.api.count("apps.connections.open") == 2);
  world.command(2, "after-drop", "declare Checkout down", "555.1");
  CHECK(world.open().size() == 1);
}

TEST_CASE("socket mode: a silent connection is dropped and replaced") {
  auto tuning = fakes::quick_socket_mode();
  tuning.silence_timeout = 300ms;
  SocketWorld world({}, {std::nullopt, std::nullopt, app_token}, tuning);
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.socket.go_silent(1);
  REQUIRE(world.socket.wait_for_connection(2, 5s));
  world.command(2, "after-silence", "help", "666.1");
}

TEST_CASE("socket mode: a connection that never says hello is replaced") {
  auto tuning = fakes::quick_socket_mode();
  tuning.hello_timeout = 300ms;
  SocketWorld world({.hello_on_connect = false}, {std::nullopt, std::nullopt, app_token}, tuning);
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  REQUIRE(world.socket.wait_closed(1, 5s));
  REQUIRE(world.socket.wait_for_connection(2, 5s));
  world.socket.send_hello(2);
  world.command(2, "after-hello", "help", "668.1");
}

TEST_CASE("socket mode: on refresh the new connection comes first; the old one serves until the new hello") {
  const std::string reason = GENERATE(as<std::string>{}, "refresh_requested", "warning", "too_many_websockets");
  CAPTURE(reason);
  SocketWorld world({.hello_on_connect = false});
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.socket.send_hello(1);
  world.command(1, "before", "declare Checkout down", "777.1");
  world.socket.send_disconnect(1, reason);
  REQUIRE(world.socket.wait_for_connection(2, 5s));
  // Around the switch: the old connection still takes envelopes and acks them.
  world.command(1, "around", "INC-1 severity sev1", "777.2");
  CHECK(world.socket.is_open(1));
  world.socket.send_hello(2);
  REQUIRE(world.socket.wait_closed(1, 5s));
  world.command(2, "after", "INC-1 note switched", "777.3");
  CHECK(world.socket.acks("around")[0].connection == 1);
  CHECK(world.socket.acks("after")[0].connection == 2);
  CHECK(world.open()[0].severity == 1);
  std::this_thread::sleep_for(100ms);
  CHECK(world.socket.connections() == 2);
}

TEST_CASE("socket mode: link_disabled stops the bot with a non-zero status") {
  SocketWorld world;
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  world.socket.send_disconnect(1, "link_disabled");
  const auto status = world.bot->wait_for_exit(5s);
  REQUIRE(status);
  CHECK(*status != 0);
  CHECK(world.socket.connections() == 1);
}

TEST_CASE("socket mode: an app token Slack refuses stops the bot with a non-zero status") {
  const std::string error =
      GENERATE(as<std::string>{}, "invalid_auth", "not_authed", "account_inactive", "user_removed_from_team", "team_disabled");
  CAPTURE(error);
  fakes::SlackApiServer api;
  api.answer_error("apps.connections.open", 1, error);
  bot::Config config;
  config.slack.api_url = api.url();
  config.tls.allow_insecure_urls = true;  // the Web API stand-in speaks http:// on loopback
  fakes::RunningBot bot(config, bot::Secrets{std::nullopt, std::nullopt, app_token});
  const auto status = bot.wait_for_exit(5s);
  REQUIRE(status);
  CHECK(*status != 0);
  CHECK(api.count("apps.connections.open") == 1);
}

TEST_CASE("socket mode: a rate-limited apps.connections.open is retried after Retry-After") {
  fakes::SlackApiServer api;
  fakes::SocketModeServer socket;
  api.set_socket_mode_url(socket.url());
  api.answer_rate_limited("apps.connections.open", 1, 1s);
  bot::Config config;
  config.slack.api_url = api.url();
  config.tls.allow_insecure_urls = true;  // the Web API stand-in speaks http:// on loopback
  fakes::RunningBot bot(config, bot::Secrets{std::nullopt, std::nullopt, app_token});
  REQUIRE(socket.wait_for_connection(1, 5s));
  const auto opens = api.calls("apps.connections.open");
  REQUIRE(opens.size() == 2);
  CHECK(opens[1].received_at - opens[0].received_at >= 900ms);  // a lower bound only: never flaky
}

TEST_CASE("socket mode over TLS: the throwaway certificate is trusted through tls.ca_file") {
  SocketWorld world({.tls = true});
  REQUIRE(world.socket.wait_for_connection(1, 5s));
  CHECK_THAT(world.socket.target(1), Catch::StartsWith("/link/?ticket="));
  const auto reply = world.command(1, "tls-1", "declare Checkout down", "888.1");
  CHECK(reply.at("response_type") == "in_channel");
}

TEST_CASE("socket mode over TLS: a certificate nobody vouches for is never connected to") {
  fakes::SlackApiServer api;
  fakes::SocketModeServer socket({.tls = true});
  api.set_socket_mode_url(socket.url());
  bot::Config config;
  config.slack.api_url = api.url();  // no tls.ca_file
  config.tls.allow_insecure_urls = true;  // the Web API stand-in speaks http:// on loopback
  fakes::RunningBot bot(config, bot::Secrets{std::nullopt, std::nullopt, app_token});
  REQUIRE(api.wait_for_calls("apps.connections.open", 3, 5s));  // it keeps trying, with backoff
  CHECK(socket.connections() == 0);
}

namespace {

// `incident-bot run` with only SLACK_APP_TOKEN, against the stand-ins, its log in dir/err.txt.
FILE* start_incident_bot(const fakes::TempDir& dir, const fakes::SlackApiServer& api) {
  const auto config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << (dir.path / "bot.db").string() << R"(" },
                               "slack": { "api_url": ")" << api.url() << R"(" },
                               "tls": { "allow_insecure_urls": true } })";
  const std::string command = "timeout 30 env -u SLACK_SIGNING_SECRET -u SLACK_BOT_TOKEN -u SLACK_APP_TOKEN_FILE "
                              "SPDLOG_LEVEL=info SLACK_APP_TOKEN=" + std::string(app_token) + " " + INCIDENT_BOT_EXE +
                              " run --config " + config.string() + " 2> " + (dir.path / "err.txt").string();
  return ::popen(command.c_str(), "r");
}

// The exit status of a process started with popen, or -1 when it did not exit by itself.
int exit_status(FILE* process) {
  const int status = ::pclose(process);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string log_of(const fakes::TempDir& dir) {
  std::ifstream file(dir.path / "err.txt");
  return std::string((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
}

}  // namespace

TEST_CASE("incident-bot run: logs connects, hellos, disconnects and delays, never the token or the ticket; link_disabled exits 1") {
  fakes::SlackApiServer api;
  fakes::SocketModeServer socket;
  api.set_socket_mode_url(socket.url());
  fakes::TempDir dir;
  FILE* process = start_incident_bot(dir, api);
  REQUIRE(process);
  REQUIRE(socket.wait_for_connection(1, 10s));
  socket.drop(1);
  REQUIRE(socket.wait_for_connection(2, 10s));
  socket.send_envelope(2, "exe-1", "slash_commands", fakes::slash_command_payload("declare Checkout down", "999.1"));
  REQUIRE(socket.wait_for_acks("exe-1", 1, 10s));
  socket.send_disconnect(2, "link_disabled");
  CHECK(exit_status(process) == 1);

  const std::string text = log_of(dir);
  CAPTURE(text);
  CHECK_THAT(text, Catch::Contains("Socket Mode: connection 1 open to ws://127.0.0.1:" + std::to_string(socket.port()) + "/link/"));
  CHECK_THAT(text, Catch::Contains("Socket Mode: hello on connection 1"));
  CHECK_THAT(text, Catch::Contains("Socket Mode: reconnecting in"));
  CHECK_THAT(text, Catch::Contains("Socket Mode: hello on connection 2"));
  CHECK_THAT(text, Catch::Contains("disconnect on connection 2 (link_disabled)"));
  CHECK_THAT(text, Catch::Contains("Slack disabled the link"));
  CHECK(text.find(app_token) == std::string::npos);
  CHECK(text.find("ticket") == std::string::npos);
}

TEST_CASE("incident-bot run: a refused app token is one error line and exit status 1") {
  fakes::SlackApiServer api;
  api.answer_error("apps.connections.open", 1, "invalid_auth");
  fakes::TempDir dir;
  FILE* process = start_incident_bot(dir, api);
  REQUIRE(process);
  CHECK(exit_status(process) == 1);
  const std::string text = log_of(dir);
  CAPTURE(text);
  std::size_t errors = 0;
  for (auto at = text.find("[error]"); at != std::string::npos; at = text.find("[error]", at + 1)) ++errors;
  CHECK(errors == 1);
  CHECK_THAT(text, Catch::Contains("apps.connections.open refused SLACK_APP_TOKEN (invalid_auth)"));
  CHECK(text.find(app_token) == std::string::npos);
}
