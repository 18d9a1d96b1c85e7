#include "bot/app/export_command.hpp"
#include "bot/core/dispatcher.hpp"
#include "cli_run.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

using namespace incident_bot;
using namespace incident_bot::testing;

namespace {

// A config file naming only the store, a file in the folder.
fs::path store_only_config(const TempDir& dir) {
  const fs::path config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << (dir.path / "bot.db").string() << R"(" } })";
  return config;
}

}  // namespace

TEST_CASE("export prints the live status before close and the postmortem after") {
  TempDir dir;
  const fs::path config = store_only_config(dir);
  const std::string console = "console --config " + config.string() + " --as alice";
  const std::string export_md = "export INC-1 --format md --config " + config.string();
  std::string out;
  REQUIRE(run_bot(dir, console, "/incident declare Pixel <!channel> stopped firing layer:measurement\n", out) == 0);
  REQUIRE(run_bot(dir, export_md, "", out) == 0);
  CHECK_THAT(out, Catch::StartsWith("# INC-1: Pixel <!channel> stopped firing\n"));
  CHECK_THAT(out, Catch::Contains("**Scope:** _not yet known_"));
  CHECK_THAT(out, Catch::Contains("## Timeline"));

  REQUIRE(run_bot(dir, console,
                  "/incident INC-1 resolve pixel restored\n"
                  "/incident INC-1 close --force drill\n"
                  "/incident INC-1 postmortem set cost €4k of spend\n"
                  "/incident INC-1 action add an alert @sam due 2031-01-15\n",
                  out) == 0);
  REQUIRE(run_bot(dir, export_md, "", out) == 0);
  CHECK_THAT(out, Catch::Contains("**INC-1 postmortem (draft)**"));
  CHECK_THAT(out, Catch::Contains("**What it cost**\n€4k of spend"));
  CHECK_THAT(out, Catch::Contains("1. add an alert — @sam, due 2031-01-15"));
  CHECK_THAT(out, Catch::Contains("**Why it was not detected sooner**"));
  CHECK(out.find("## Timeline") == std::string::npos);
}


TEST_CASE("export names the people of a Mattermost incident, which the store keeps by id") {
  TempDir dir;
  const fs::path config = store_only_config(dir);
  const std::string bob = "bob00000000000000000000001";
  {
    auto db = store::open((dir.path / "bot.db").string());
    store::remember_user(db, "mattermost", bob, "bob");
    bot::Dispatcher mattermost(db, workflows::Policy{}, bot::mattermost_platform(true),
                               std::make_shared<spdlog::logger>("m", std::make_shared<spdlog::sinks::null_sink_st>()));
    mattermost.handle({"townsquare", bob, "declare Pixel stopped firing", {}}, 1'795'000'000);
  }
  std::string out;
  REQUIRE(run_bot(dir, "export INC-1 --format md --config " + config.string(), "", out) == 0);
  CHECK_THAT(out, Catch::Contains("@bob"));
  CHECK(out.find(bob) == std::string::npos);
}

TEST_CASE("export --postmortem writes the draft once the incident is resolved, every empty section not yet written") {
  TempDir dir;
  const fs::path config = store_only_config(dir);
  const std::string console = "console --config " + config.string() + " --as alice";
  const std::string export_draft = "export INC-1 --format md --postmortem --config " + config.string();
  std::string out;
  REQUIRE(run_bot(dir, console, "/incident declare Pixel stopped firing layer:measurement\n", out) == 0);
  CHECK(run_bot(dir, export_draft, "", out) == 1);
  CHECK(out == "export: INC-1 is triage; its postmortem draft exports once it is resolved\n");

  REQUIRE(run_bot(dir, console,
                  "/incident INC-1 resolve pixel restored\n"
                  "/incident INC-1 postmortem set cost €4k of spend\n",
                  out) == 0);
  REQUIRE(run_bot(dir, export_draft, "", out) == 0);
  CHECK_THAT(out, Catch::StartsWith("# INC-1: Pixel stopped firing\n"));
  CHECK_THAT(out, Catch::Contains("**INC-1 postmortem (draft)**"));
  CHECK_THAT(out, Catch::Contains("**What it cost**\n€4k of spend"));
  CHECK_THAT(out, Catch::Contains("**Why it was not detected sooner**\n_Not yet written: why was it not detected sooner?"));
  CHECK_THAT(out, Catch::Contains("_Not yet written: the story, in a few sentences"));
  CHECK(out.find("## Timeline") == std::string::npos);
  // Without the flag a monitoring incident still exports its live status.
  REQUIRE(run_bot(dir, "export INC-1 --format md --config " + config.string(), "", out) == 0);
  CHECK_THAT(out, Catch::Contains("## Timeline"));
}

TEST_CASE("export: a declined incident has no postmortem draft; a malformed id or format is refused") {
  TempDir dir;
  const fs::path config = store_only_config(dir);
  std::string out;
  REQUIRE(run_bot(dir, "console --config " + config.string() + " --as alice",
                  "/incident declare Spend dip\n/incident INC-1 decline routine variance\n", out) == 0);
  CHECK(run_bot(dir, "export INC-1 --postmortem --config " + config.string(), "", out) == 1);
  CHECK_THAT(out, Catch::Contains("INC-1 is declined"));
  CHECK(run_bot(dir, "export INC-x --config " + config.string(), "", out) == 2);
  CHECK(run_bot(dir, "export INC-1 --format pdf --config " + config.string(), "", out) == 2);
  CHECK(run_bot(dir, "export INC-9 --config " + config.string(), "", out) == 1);
}
