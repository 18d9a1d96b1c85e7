#include "bot/app/cli.hpp"
#include "cli_run.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;

TEST_CASE("parse_cli reads each command and its flags") {
  const auto console = std::get<bot::CliOptions>(bot::parse_cli({"console", "--config", "c.json", "--as", "@bob"}));
  CHECK(console.verb == "console");
  CHECK(console.config == "c.json");
  CHECK(console.as_user == "bob");
  const auto exported = std::get<bot::CliOptions>(bot::parse_cli({"export", "INC-3", "--format", "md"}));
  CHECK(exported.incident == "INC-3");
  CHECK(std::get<bot::CliOptions>(bot::parse_cli({"--version"})).verb == "version");
  CHECK(std::holds_alternative<bot::CliError>(bot::parse_cli({})));
  CHECK(std::holds_alternative<bot::CliError>(bot::parse_cli({"launch"})));
  CHECK(std::holds_alternative<bot::CliError>(bot::parse_cli({"console", "--config"})));
  CHECK(std::holds_alternative<bot::CliError>(bot::parse_cli({"export"})));
  CHECK(std::get<bot::CliOptions>(bot::parse_cli({"export", "INC-3", "--postmortem"})).postmortem);
  CHECK_FALSE(exported.postmortem);
  CHECK(std::get<bot::CliError>(bot::parse_cli({"console", "--postmortem"})).message == "--postmortem is for export");
  CHECK(std::holds_alternative<bot::CliError>(bot::parse_cli({"run", "--as", "bob"})));
}

TEST_CASE("a whole incident piped through the console survives a restart") {
  TempDir dir;
  const fs::path config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << (dir.path / "data" / "bot.db").string()
                        << R"(" }, "close": { "monitor_for": "1s" } })";
  const std::string arguments = "console --config " + config.string() + " --as alice";

  std::string out;
  REQUIRE(run_bot(dir, arguments,
                  "/incident declare Checkout fails on mobile sev2 layer:conversion\n"
                  "/in #inc-1-checkout-fails-on-mobile\n"
                  "/incident role owner @bob\n"
                  "/as carol\n"
                  "/incident role comms @carol\n"
                  "/incident update conversion down 35% | scope: paid social | confidence: medium | next: error rate @dan\n"
                  "/incident change paused Meta campaigns\n"
                  "/incident change rolled back theme\n"
                  "/incident verify checkout errors at baseline\n"
                  "/incident resolve rollback fixed it\n"
                  "/incident declare\n",
                  out) == 0);
  CHECK_THAT(out, Catch::Contains("INC-1 declared"));
  CHECK_THAT(out, Catch::Contains("2 changes in flight"));
  CHECK_THAT(out, Catch::Contains("usage: declare <title>"));

  REQUIRE(run_bot(dir, arguments, "/in #inc-1-checkout-fails-on-mobile\n/incident status\n/incident timeline\n", out) == 0);
  CHECK_THAT(out, Catch::Contains("sev2 · monitoring"));
  CHECK_THAT(out, Catch::Contains("Owner: @bob · Comms: @carol · Detector: @alice"));
  CHECK_THAT(out, Catch::Contains("Scope: paid social"));
  CHECK_THAT(out, Catch::Contains("@alice · declared"));
  CHECK_THAT(out, Catch::Contains("@carol · role · @carol is now comms lead"));
  CHECK_THAT(out, Catch::Contains("change · Change #2: rolled back theme"));
  CHECK_THAT(out, Catch::Contains("resolve · Resolved: rollback fixed it"));

  REQUIRE(run_bot(dir, "export INC-1 --format md --config " + config.string(), "", out) == 0);
  CHECK_THAT(out, Catch::Contains("# INC-1: Checkout fails on mobile"));
  CHECK_THAT(out, Catch::Contains("**Scope:** paid social"));
  CHECK_THAT(out, Catch::Contains("## Timeline"));
}

TEST_CASE("check-config names a bad key and exits non-zero; a good file passes") {
  TempDir dir;
  std::string out;
  std::ofstream(dir.path / "bad.json") << R"({ "cadence": { "sev2": "soon" } })";
  CHECK(run_bot(dir, "check-config --config " + (dir.path / "bad.json").string(), "", out) == 1);
  CHECK_THAT(out, Catch::Contains("cadence.sev2"));
  CHECK(run_bot(dir, "check-config --config " + std::string(SOURCE_DIR) + "/config/incident-bot.json", "", out) == 0);
  CHECK_THAT(out, Catch::Contains("config ok"));
  CHECK_THAT(out, Catch::Contains("status page: http://127.0.0.1:3000/status, 0 component(s)"));
}

TEST_CASE("--help and --version answer; an unknown command is an error") {
  TempDir dir;
  std::string out;
  CHECK(run_bot(dir, "--help", "", out) == 0);
  CHECK_THAT(out, Catch::Contains("usage: incident-bot"));
  CHECK(run_bot(dir, "--version", "", out) == 0);
  CHECK_THAT(out, Catch::StartsWith("incident-bot "));
  CHECK(run_bot(dir, "launch", "", out) == 2);
}

TEST_CASE("templates.dir: an override is used; a broken one stops start-up and check-config, naming the file") {
  TempDir dir;
  fs::create_directories(dir.path / "templates");
  const fs::path config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << (dir.path / "bot.db").string() << R"(" },
                                "templates": { "dir": ")" << (dir.path / "templates").string() << R"(" } })";
  std::ofstream(dir.path / "templates" / "announcement.text.mustache") << "NEW INCIDENT {{id}}: {{title}}\n";
  std::string out;
  REQUIRE(run_bot(dir, "check-config --config " + config.string(), "", out) == 0);
  CHECK_THAT(out, Catch::Contains("templates: 1 from"));
  REQUIRE(run_bot(dir, "console --config " + config.string(), "/incident declare Spend stopped\n", out) == 0);
  CHECK_THAT(out, Catch::Contains("NEW INCIDENT INC-1: Spend stopped"));

  std::ofstream(dir.path / "templates" / "update.text.mustache") << "{{#symptom}}unclosed\n";
  CHECK(run_bot(dir, "check-config --config " + config.string(), "", out) == 1);
  CHECK_THAT(out, Catch::Contains("template error: " + (dir.path / "templates" / "update.text.mustache").string() +
                                  ": Unclosed section \"symptom\""));
  CHECK(run_bot(dir, "console --config " + config.string(), "/incident list\n", out) == 1);
  CHECK_THAT(out, Catch::Contains("update.text.mustache"));
}

