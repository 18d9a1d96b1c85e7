#include "bot/app/config.hpp"

#include "bot/app/runtime.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/running_bot.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <variant>
#include <vector>

using incident_bot::Seconds;
using incident_bot::bot::Config;
using incident_bot::bot::ConfigError;
using incident_bot::bot::ConfigResult;
using incident_bot::bot::load_config;
using incident_bot::bot::parse_config;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

namespace {

constexpr Seconds minute = 60;
constexpr Seconds hour = 3600;
constexpr Seconds day = 86400;
constexpr const char* duration_hint = "expected a duration such as 90s, 30m, 6h or 2d";

Config accepted(const ConfigResult& result) {
  if (const auto* error = std::get_if<ConfigError>(&result)) FAIL("unexpected error: " << error->describe());
  return std::get<Config>(result);
}

Config accepted(const std::string& text) {
  INFO(text);
  return accepted(parse_config(text));
}

ConfigError rejected(const ConfigResult& result) {
  REQUIRE(std::holds_alternative<ConfigError>(result));
  return std::get<ConfigError>(result);
}

ConfigError rejected(const std::string& text) {
  INFO(text);
  return rejected(parse_config(text));
}

void require_defaults(const Config& config) {
  CHECK(config.store.path == "data/incident-bot.db");
  CHECK(config.http.listen == "127.0.0.1:3000");
  CHECK(config.http.max_connections == 512);
  CHECK(config.http.idle_timeout == 10);
  CHECK(config.slack.api_url == "https://slack.com/api");
  CHECK(config.slack.announce_channel == "incidents");
  CHECK(config.slack.incident_channels);
  CHECK(config.slack.channel_prefix == "inc");
  CHECK(config.mattermost.url.empty());
  CHECK(config.mattermost.team_id.empty());
  CHECK(config.mattermost.announce_channel.empty());
  CHECK(config.mattermost.dialog_url.empty());
  CHECK(config.tls.ca_file.empty());
  CHECK_FALSE(config.tls.allow_insecure_urls);
  CHECK(config.cadence.default_every == 6 * hour);
  CHECK(config.cadence.by_severity == std::map<int, Seconds>{{1, hour}, {2, 2 * hour}});
  CHECK(config.reminders.escalate_after == std::vector<Seconds>{15 * minute, hour});
  CHECK(config.reminders.comms_lead_after == 15 * minute);
  CHECK(config.reminders.comms_fallback.empty());
  CHECK(config.reminders.postmortem_every == day);
  CHECK(config.close.monitor_for == 30 * minute);
  CHECK(config.changes.in_flight_for == 30 * minute);
  CHECK(config.layers == std::vector<std::string>{"economics", "measurement", "conversion", "delivery", "operations"});
  CHECK(config.templates.dir.empty());
}

// {"a": {"b": <value>}} for "a.b", {"a": <value>} for "a".
std::string document_setting(const std::string& key, const std::string& value) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) return "{\"" + key + "\": " + value + "}";
  return "{\"" + key.substr(0, dot) + "\": {\"" + key.substr(dot + 1) + "\": " + value + "}}";
}

void require_rejected(const std::string& key, const std::string& value, const std::string& message,
                      const std::string& error_key = "") {
  const std::string text = document_setting(key, value);
  INFO(text);
  const ConfigError error = rejected(text);
  CHECK(error.key == (error_key.empty() ? key : error_key));
  CHECK(error.message == message);
}

}  // namespace

TEST_CASE("an empty object keeps every default", "[config]") {
  require_defaults(accepted("{}"));
  require_defaults(Config{});
}

TEST_CASE("every key is read", "[config]") {
  const Config config = accepted(R"({
    "store": {"path": "/var/lib/ib.db"},
    "http": {"listen": "[::1]:8080"},
    "slack": {"api_url": "http://127.0.0.1:9000/api", "announce_channel": "ops",
              "incident_channels": false, "channel_prefix": "sev_x-1"},
    "mattermost": {"url": "https://chat.example.com", "team_id": "t1", "announce_channel": "town-square"},
    "tls": {"ca_file": "/etc/ca.pem", "allow_insecure_urls": true},
    "cadence": {"default": "4h", "sev1": "30m", "sev2": "90m", "sev3": "3h", "sev4": "2d"},
    "reminders": {"escalate_after": ["5m", "20m", "1h30m"], "comms_lead_after": "90s",
                  "comms_fallback": "@leads", "postmortem_every": "12h"},
    "close": {"monitor_for": "1h"},
    "changes": {"in_flight_for": "45m"},
    "layers": ["delivery", "vendor-api", "ops_2"],
    "templates": {"dir": "/etc/ib/templates"}
  })");
  CHECK(config.store.path == "/var/lib/ib.db");
  CHECK(config.http.listen == "[::1]:8080");
  CHECK(config.slack.api_url == "http://127.0.0.1:9000/api");
  CHECK(config.slack.announce_channel == "ops");
  CHECK_FALSE(config.slack.incident_channels);
  CHECK(config.slack.channel_prefix == "sev_x-1");
  CHECK(config.mattermost.url == "https://chat.example.com");
  CHECK(config.mattermost.team_id == "t1");
  CHECK(config.mattermost.announce_channel == "town-square");
  CHECK(config.tls.ca_file == "/etc/ca.pem");
  CHECK(config.tls.allow_insecure_urls);
  CHECK(config.cadence.default_every == 4 * hour);
  CHECK(config.cadence.by_severity ==
        std::map<int, Seconds>{{1, 30 * minute}, {2, 90 * minute}, {3, 3 * hour}, {4, 2 * day}});
  CHECK(config.reminders.escalate_after == std::vector<Seconds>{5 * minute, 20 * minute, 90 * minute});
  CHECK(config.reminders.comms_lead_after == 90);
  CHECK(config.reminders.comms_fallback == "@leads");
  CHECK(config.reminders.postmortem_every == 12 * hour);
  CHECK(config.close.monitor_for == hour);
  CHECK(config.changes.in_flight_for == 45 * minute);
  CHECK(config.layers == std::vector<std::string>{"delivery", "vendor-api", "ops_2"});
  CHECK(config.templates.dir == "/etc/ib/templates");
}

TEST_CASE("a cadence object replaces only the severities it names", "[config]") {
  SECTION("a new severity joins the defaults") {
    const Config config = accepted(R"({"cadence": {"sev3": "3h"}})");
    CHECK(config.cadence.default_every == 6 * hour);
    CHECK(config.cadence.by_severity == std::map<int, Seconds>{{1, hour}, {2, 2 * hour}, {3, 3 * hour}});
  }
  SECTION("a named severity replaces its default, the others stay") {
    const Config config = accepted(R"({"cadence": {"sev1": "20m", "default": "8h"}})");
    CHECK(config.cadence.default_every == 8 * hour);
    CHECK(config.cadence.by_severity == std::map<int, Seconds>{{1, 20 * minute}, {2, 2 * hour}});
  }
  SECTION("an empty section changes nothing") {
    require_defaults(accepted(R"({"cadence": {}, "slack": {}, "reminders": {}})"));
  }
}

TEST_CASE("comments and trailing commas are accepted", "[config]") {
  const Config config = accepted(R"(// the whole file
{
  /* block comment */
  "slack": {
    "announce_channel": "war-room", // where announcements go
  },
  "layers": ["delivery", "operations",],
})");
  CHECK(config.slack.announce_channel == "war-room");
  CHECK(config.layers == std::vector<std::string>{"delivery", "operations"});
}

TEST_CASE("a malformed document is an error without a key, with its line", "[config]") {
  SECTION("a missing comma") {
    const ConfigError error = rejected("{\n  \"store\": {\"path\": \"a\"}\n  \"http\": {}\n}");
    CHECK(error.key.empty());
    CHECK_THAT(error.message, StartsWith("malformed JSON at line 3"));
    CHECK(error.describe() == error.message);
  }
  SECTION("an unterminated object") {
    const ConfigError error = rejected("{\n\"store\": {");
    CHECK(error.key.empty());
    CHECK_THAT(error.message, StartsWith("malformed JSON at line 2"));
  }
  SECTION("an empty file") {
    const ConfigError error = rejected("");
    CHECK(error.key.empty());
    CHECK_THAT(error.message, StartsWith("malformed JSON"));
  }
  SECTION("text after the document") {
    CHECK(rejected("{} {}").key.empty());
  }
  SECTION("the document is not an object") {
    const ConfigError error = rejected(R"(["store"])");
    CHECK(error.key.empty());
    CHECK(error.message == "expected a JSON object at the top level");
  }
}

TEST_CASE("an unknown key is named, at any level", "[config]") {
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"slak": {"api_url": "https://slack.com/api"}})", "slak"},
      {R"({"store": {"path": "a.db"}, "layer": ["delivery"]})", "layer"},
      {R"({"slack": {"anounce_channel": "incidents"}})", "slack.anounce_channel"},
      {R"({"cadence": {"sev5": "1h"}})", "cadence.sev5"},
      {R"({"reminders": {"escalate_after": ["15m"], "escalate": "1h"}})", "reminders.escalate"},
      {R"({"slack.api_url": "https://slack.com/api"})", "slack.api_url"},
      {R"({"templates": {"dir": "", "dir.sub": ""}})", "templates.dir.sub"},
      {R"({"store": {"path": {"nested": 1}}})", "store.path"},
      {R"({"": 1})", ""},
  };
  for (const auto& [text, key] : cases) {
    INFO(text);
    const ConfigError error = rejected(text);
    CHECK(error.key == key);
    if (key != "store.path") CHECK(error.message == "unknown key");
  }
  CHECK(rejected(R"({"slack": {"anounce_channel": "x"}})").describe() == "slack.anounce_channel: unknown key");
}

TEST_CASE("a secret-looking key says where secrets belong", "[config]") {
  for (const std::string text : {R"({"slack": {"bot_token": "xoxb-1"}})", R"({"signing_secret": "abc"})",
                                 R"({"mattermost": {"Command_TOKEN": "t"}})", R"({"secrets": {}})"}) {
    INFO(text);
    const ConfigError error = rejected(text);
    CHECK_THAT(error.message, StartsWith("unknown key"));
    CHECK_THAT(error.message, Contains("secrets come from the environment (SLACK_BOT_TOKEN"));
    CHECK_THAT(error.message, Contains("never from the config file"));
  }
  CHECK(rejected(R"({"slack": {"bot_token": "xoxb-1"}})").key == "slack.bot_token");
  CHECK(rejected(R"({"signing_secret": "abc"})").key == "signing_secret");
}

TEST_CASE("a value of the wrong type names the key and the type", "[config]") {
  const std::string a_string = "expected a string";
  require_rejected("store.path", "5", a_string);
  require_rejected("http.listen", "3000", a_string);
  require_rejected("slack.api_url", "null", a_string);
  require_rejected("slack.announce_channel", "[\"incidents\"]", a_string);
  require_rejected("slack.incident_channels", "\"yes\"", "expected true or false");
  require_rejected("slack.incident_channels", "1", "expected true or false");
  require_rejected("slack.channel_prefix", "false", a_string);
  require_rejected("mattermost.url", "1", a_string);
  require_rejected("mattermost.team_id", "42", a_string);
  require_rejected("mattermost.announce_channel", "{}", a_string);
  require_rejected("mattermost.dialog_url", "7", a_string);
  require_rejected("tls.ca_file", "true", a_string);
  require_rejected("reminders.comms_fallback", "false", a_string);
  require_rejected("templates.dir", "[]", a_string);
  for (const std::string key : {"cadence.default", "cadence.sev1", "cadence.sev2", "cadence.sev3", "cadence.sev4",
                                "reminders.comms_lead_after", "reminders.postmortem_every", "close.monitor_for",
                                "changes.in_flight_for"})
    require_rejected(key, "3600", duration_hint);
  require_rejected("reminders.escalate_after", "\"15m\"", R"(expected a list of durations such as ["15m", "1h"])");
  require_rejected("layers", "\"delivery\"", R"(expected a list of layer names such as ["delivery", "operations"])");
  require_rejected("layers", "[\"delivery\", 3]", a_string, "layers[1]");
  for (const std::string section : {"store", "http", "slack", "mattermost", "tls", "cadence", "reminders", "close",
                                    "changes", "templates"})
    require_rejected(section, "\"x\"", "expected an object");
}

TEST_CASE("a bad duration names the key", "[config]") {
  for (const std::string value : {"\"6\"", "\"6x\"", "\"\"", "\"0m\"", "\"-5m\"", "\"h\"", "\"six hours\""}) {
    require_rejected("cadence.default", value, duration_hint);
    require_rejected("close.monitor_for", value, duration_hint);
  }
  SECTION("escalation steps are non-empty, valid and ascending") {
    require_rejected("reminders.escalate_after", "[]", "expected at least one duration");
    require_rejected("reminders.escalate_after", R"(["15m", "soon"])", duration_hint, "reminders.escalate_after[1]");
    require_rejected("reminders.escalate_after", R"(["15m", 60])", duration_hint, "reminders.escalate_after[1]");
    require_rejected("reminders.escalate_after", R"(["1h", "15m"])", "expected durations in ascending order",
                     "reminders.escalate_after[1]");
    require_rejected("reminders.escalate_after", R"(["15m", "1h", "60m"])", "expected durations in ascending order",
                     "reminders.escalate_after[2]");
    CHECK(accepted(R"({"reminders": {"escalate_after": ["2d"]}})").reminders.escalate_after ==
          std::vector<Seconds>{2 * day});
  }
}

TEST_CASE("a duration past a year or past any integer is refused, naming the key", "[config][bounds]") {
  const std::string at_most = "expected a duration of at most 365d";
  for (const std::string value : {"\"366d\"", "\"100000000000000d\"", "\"99999999999999999999d\"",
                                  "\"9223372036854775807s\"", "\"365d1s\""}) {
    require_rejected("cadence.default", value, at_most);
    require_rejected("outbox.give_up_after", value, at_most);
    require_rejected("reminders.escalate_after", "[" + value + "]", at_most, "reminders.escalate_after[0]");
  }
  CHECK(accepted(R"({"cadence": {"default": "365d"}})").cadence.default_every == 365 * day);
}

TEST_CASE("http.listen is host:port", "[config]") {
  for (const std::string good :
       {"127.0.0.1:3000", "0.0.0.0:1", "localhost:65535", "[::1]:3000", "[::]:8080", "127.0.0.1:0", "localhost:0"})
    CHECK(accepted(document_setting("http.listen", "\"" + good + "\"")).http.listen == good);
  const std::string usage = "expected host:port such as 127.0.0.1:3000 or [::1]:3000";
  const std::string port_range = "the port must be a number from 0 to 65535";
  const std::string not_a_name = "the host must be an IP address or localhost; a name is never resolved here";
  const std::vector<std::pair<std::string, std::string>> bad{
      {"127.0.0.1", usage},          {":3000", usage},          {"[]:3000", usage},
      {"[::1]", usage},              {"[::1]3000", usage},      {"[::1:3000", usage},
      {"local host:80", usage},      {"", usage},               {"127.0.0.1:65536", port_range},
      {"127.0.0.1:", port_range},    {"127.0.0.1:http", port_range},
      {"127.0.0.1:-1", port_range},  {"127.0.0.1:+80", port_range}, {"127.0.0.1:80x", port_range},
      {"127.0.0.1:99999999999", port_range},
      {"::1:3000", "write an IPv6 address in brackets, such as [::1]:3000"},
      {"example.com:3000", not_a_name}, {"*:3000", not_a_name}, {"127.1:3000", not_a_name},
      {"[127.0.0.1]:3000", "only an IPv6 address goes in brackets, such as [::1]:3000"},
  };
  for (const auto& [value, message] : bad) require_rejected("http.listen", "\"" + value + "\"", message);
}

namespace {

// Whether `incident-bot run` listens on `listen`: the runtime run builds, with an HTTP adapter.
bool run_accepts(const std::string& listen) {
  const incident_bot::fakes::TempDir dir;
  Config config;
  config.store.path = (dir.path / "bot.db").string();
  config.http.listen = listen;
  incident_bot::bot::Secrets secrets;
  secrets.slack_signing_secret = "signing-secret";
  const auto logger = std::make_shared<spdlog::logger>("run", std::make_shared<spdlog::sinks::null_sink_mt>());
  try {
    const incident_bot::bot::Runtime runtime(config, secrets, logger,
                                             [] { return incident_bot::Timestamp(1'795'000'000); });
    return runtime.http_port() != 0;
  } catch (const std::runtime_error& error) {
    INFO(error.what());
    CHECK_THAT(error.what(), StartsWith("http.listen: "));
    return false;
  }
}

}  // namespace

TEST_CASE("http.listen: check-config refuses what run refuses, and accepts what run listens on", "[config]") {
  // Port 0 everywhere run should listen, so the test never meets a port in use.
  for (const std::string value : {"127.0.0.1:0", "localhost:0", "0.0.0.0:0", "example.com:3000", "::1:3000",
                                  "127.0.0.1:65536", "127.0.0.1", "[127.0.0.1]:0", "localhost:", "*:0"}) {
    INFO(value);
    const auto loaded = parse_config(document_setting("http.listen", "\"" + value + "\""));
    const bool config_accepts = std::holds_alternative<Config>(loaded);
    CHECK(config_accepts == run_accepts(value));
    if (!config_accepts) CHECK(std::get<ConfigError>(loaded).key == "http.listen");
  }
  // Once apart: a host name passed the config check and failed at start-up; port 0 the other way round.
  CHECK(rejected(document_setting("http.listen", "\"example.com:3000\"")).key == "http.listen");
  CHECK_FALSE(run_accepts("example.com:3000"));
  CHECK(accepted(document_setting("http.listen", "\"localhost:0\"")).http.listen == "localhost:0");
  CHECK(run_accepts("localhost:0"));
}

TEST_CASE("URLs, channel prefixes and layers have a shape", "[config]") {
  const std::string url = "expected a URL starting with http:// or https://";
  for (const std::string value : {"slack.com/api", "ftp://slack.com", "https://", "", "HTTPS//x"})
    require_rejected("slack.api_url", "\"" + value + "\"", url);
  CHECK(accepted(R"({"mattermost": {"url": ""}})").mattermost.url.empty());
  require_rejected("mattermost.url", "\"chat.example.com\"", url);
  require_rejected("mattermost.dialog_url", "\"bot.example.com/mattermost/dialogs\"", url);
  CHECK(accepted(R"({"mattermost": {"dialog_url": "https://bot.example.com/mattermost/dialogs"}})").mattermost.dialog_url ==
        "https://bot.example.com/mattermost/dialogs");
  require_rejected("store.path", "\"\"", "expected a non-empty string");

  const std::string prefix = "expected 1 to 20 characters from a-z, 0-9, - and _";
  for (const std::string& value : std::vector<std::string>{"", "Inc", "inc!", "inc.", "in c", std::string(21, 'a')})
    require_rejected("slack.channel_prefix", "\"" + value + "\"", prefix);
  for (const std::string& value : std::vector<std::string>{"a", "inc_2-x", std::string(20, 'z')})
    CHECK(accepted(document_setting("slack.channel_prefix", "\"" + value + "\"")).slack.channel_prefix == value);

  const std::string word = "expected a lowercase word (a-z, 0-9, - or _, starting with a letter)";
  require_rejected("layers", "[]", "expected at least one layer");
  require_rejected("layers", R"(["Delivery"])", word, "layers[0]");
  require_rejected("layers", R"(["delivery", "two words"])", word, "layers[1]");
  require_rejected("layers", R"(["delivery", "9lives"])", word, "layers[1]");
  require_rejected("layers", R"(["delivery", ""])", word, "layers[1]");
  require_rejected("layers", R"(["delivery", "ops", "delivery"])", "layer \"delivery\" is listed twice", "layers[2]");
}

TEST_CASE("the first bad key in the document is the one reported", "[config]") {
  const ConfigError error = rejected(R"({"http": {"listen": "nowhere"}, "slak": {}})");
  CHECK(error.key == "http.listen");
}

TEST_CASE("the shipped config files load cleanly", "[config]") {
  SECTION("the default file holds the defaults") {
    require_defaults(accepted(load_config(SOURCE_DIR "/config/incident-bot.json")));
  }
  SECTION("the example sets every section") {
    const Config config = accepted(load_config(SOURCE_DIR "/config/incident-bot.example.json"));
    CHECK_FALSE(config.mattermost.url.empty());
    CHECK_FALSE(config.mattermost.team_id.empty());
    CHECK_FALSE(config.mattermost.announce_channel.empty());
    CHECK_FALSE(config.templates.dir.empty());
    CHECK_FALSE(config.tls.ca_file.empty());
    CHECK(config.cadence.by_severity.size() == 4);
    CHECK(config.reminders.escalate_after.size() == 3);
  }
}

TEST_CASE("load_config reads a file and names a path it cannot read", "[config]") {
  SECTION("a missing file") {
    const std::string path = "/nonexistent-incident-bot/incident-bot.json";
    const ConfigError error = rejected(load_config(path));
    CHECK(error.key.empty());
    CHECK(error.message == "cannot read config file " + path + ": No such file or directory");
  }
  SECTION("a directory") {
    const ConfigError error = rejected(load_config(SOURCE_DIR "/config"));
    CHECK(error.key.empty());
    CHECK_THAT(error.message, StartsWith("cannot read config file " SOURCE_DIR "/config: "));
  }
  SECTION("a file's errors are the parser's errors") {
    const auto path = std::filesystem::temp_directory_path() / "incident-bot-config-test.json";
    std::ofstream(path) << "{ \"cadence\": { \"sev2\": \"2 hours\" } }\n";
    const ConfigError error = rejected(load_config(path.string()));
    std::filesystem::remove(path);
    CHECK(error.describe() == std::string("cadence.sev2: ") + duration_hint);
  }
}

TEST_CASE("the group commit's bounds are whole numbers in range", "[config]") {
  const Config config = accepted(R"({"store": {"batch_max_commands": 64, "batch_max_wait_ms": 2}})");
  CHECK(config.store.batch_max_commands == 64);
  CHECK(config.store.batch_max_wait_ms == 2);
  CHECK(accepted("{}").store.batch_max_commands == 256);
  CHECK(accepted("{}").store.batch_max_wait_ms == 0);
  require_rejected("store.batch_max_commands", "0", "expected a whole number from 1 to 10000");
  require_rejected("store.batch_max_commands", "\"many\"", "expected a whole number from 1 to 10000");
  require_rejected("store.batch_max_wait_ms", "-1", "expected a whole number from 0 to 1000");
  require_rejected("store.batch_max_wait_ms", "1.5", "expected a whole number from 0 to 1000");
}

TEST_CASE("http:// chat URLs are refused unless tls.allow_insecure_urls is set", "[config]") {
  const std::string clear_text =
      "an http:// URL would carry the bot token in clear text: use https://, or set "
      "tls.allow_insecure_urls to true for a stand-in on loopback";
  require_rejected("slack.api_url", R"("http://127.0.0.1:9000/api")", clear_text);
  require_rejected("slack.api_url", R"("HTTP://slack.example/api")", clear_text);
  require_rejected("mattermost.url", R"("http://chat.example.com")", clear_text);
  // The key may come before or after the URL it allows.
  const Config allowed = accepted(R"({"slack": {"api_url": "http://127.0.0.1:9000/api"},
                                      "mattermost": {"url": "http://[::1]:8065"}, "tls": {"allow_insecure_urls": true}})");
  CHECK(allowed.slack.api_url == "http://127.0.0.1:9000/api");
  CHECK(incident_bot::bot::insecure_url_keys(allowed) == std::vector<std::string>{"slack.api_url", "mattermost.url"});
  CHECK(accepted(R"({"tls": {"allow_insecure_urls": true}, "mattermost": {"url": "http://chat.example.com"}})")
            .mattermost.url == "http://chat.example.com");
  CHECK(accepted(R"({"tls": {"allow_insecure_urls": false}, "mattermost": {"url": "https://chat.example.com"}})")
            .mattermost.url == "https://chat.example.com");
  require_rejected("tls.allow_insecure_urls", R"("yes")", "expected true or false");
  CHECK(rejected(R"({"tls": {"allow_insecure_urls": false}, "slack": {"api_url": "http://x/api"}})").key == "slack.api_url");
}

TEST_CASE("the runtime refuses an http:// chat URL too, and warns once at start-up when it is allowed", "[config]") {
  incident_bot::bot::Secrets secrets;
  secrets.slack_signing_secret = "signing-secret";
  secrets.mattermost_command_token = "command-token";
  Config config;
  config.slack.api_url = "http://127.0.0.1:9/api";
  config.mattermost.url = "http://127.0.0.1:9";
  {
    const incident_bot::fakes::TempDir dir;
    config.store.path = (dir.path / "bot.db").string();
    config.http.listen = "127.0.0.1:0";
    const auto logger = std::make_shared<spdlog::logger>("run", std::make_shared<spdlog::sinks::null_sink_mt>());
    CHECK_THROWS_WITH(incident_bot::bot::Runtime(config, secrets, logger, [] { return incident_bot::Timestamp(0); }),
                      StartsWith("slack.api_url: an http:// URL would carry the bot token in clear text"));
  }
  config.tls.allow_insecure_urls = true;
  incident_bot::fakes::CapturedLog log;
  incident_bot::fakes::RunningBot bot(config, secrets, 1'795'000'000, incident_bot::fakes::quick_socket_mode(), log.logger());
  CHECK(bot.port() != 0);
  CHECK(log.count("tls.allow_insecure_urls is set: the bot token goes in clear text to slack.api_url and mattermost.url") == 1);
  CHECK(log.count("clear text") == 1);
}

TEST_CASE("http.max_connections is a whole number, http.idle_timeout a duration, each within its range", "[config]") {
  const Config config = accepted(R"({"http": {"max_connections": 2000, "idle_timeout": "75s"}})");
  CHECK(config.http.max_connections == 2000);
  CHECK(config.http.idle_timeout == 75);
  CHECK(accepted(R"({"http": {"max_connections": 1, "idle_timeout": "1s"}})").http.max_connections == 1);
  CHECK(accepted(R"({"http": {"max_connections": 100000, "idle_timeout": "1h"}})").http.idle_timeout == hour);
  const std::string connections = "expected a whole number from 1 to 100000";
  for (const std::string value : {"0", "-5", "100001", "1.5", "\"512\"", "null"})
    require_rejected("http.max_connections", value, connections);
  for (const std::string value : {"\"0s\"", "10", "\"soon\""}) require_rejected("http.idle_timeout", value, duration_hint);
  require_rejected("http.idle_timeout", "\"1h1s\"", "expected a duration from 1s to 1h");
}

TEST_CASE("how long delivery ids and delivered posts are kept are durations, 2d and 14d by default",
          "[config][prune]") {
  const Config config = accepted(R"({"store": {"keep_delivery_ids": "6h", "keep_delivered": "30d"}})");
  CHECK(config.store.keep_delivery_ids == 6 * hour);
  CHECK(config.store.keep_delivered == 30 * day);
  CHECK(accepted("{}").store.keep_delivery_ids == 2 * day);
  CHECK(accepted("{}").store.keep_delivered == 14 * day);
  for (const std::string key : {"store.keep_delivery_ids", "store.keep_delivered"}) {
    require_rejected(key, "\"0s\"", duration_hint);
    require_rejected(key, "172800", duration_hint);
    require_rejected(key, "\"forever\"", duration_hint);
    require_rejected(key, "\"400d\"", "expected a duration of at most 365d");
  }
}
