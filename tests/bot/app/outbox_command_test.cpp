#include "bot/app/outbox_command.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

struct Store {
  fs::path folder = fs::temp_directory_path() / ("incident-bot-outbox-" + std::to_string(std::random_device{}()));
  fs::path path = folder / "bot.db";
  std::int64_t failed = 0, waiting = 0;

  Store() {
    fs::create_directories(folder);
    auto db = store::open(path.string());
    const auto row = [](std::string channel, std::string payload) {
      return store::OutboxRow{.platform = "slack", .channel = std::move(channel), .kind = workflows::PostKind::update,
                              .incident = 3, .payload = std::move(payload), .created_at = 1000, .not_before = 1000};
    };
    failed = store::enqueue_post(db, row("incidents", "refused"));
    waiting = store::enqueue_post(db, row("C2", "waiting"));
    store::mark_failed(db, failed, "missing_scope", 1100);
    std::ofstream(folder / "config.json") << R"({"store": {"path": ")" << path.string() << R"("}})";
  }
  ~Store() { fs::remove_all(folder); }

  // The real executable, as an operator runs it beside a running bot.
  int run(const std::string& arguments, std::string& out) const {
    const auto output = folder / "out.txt";
    const std::string command = std::string(INCIDENT_BOT_EXE) + " outbox " + arguments + " --config " +
                                (folder / "config.json").string() + " > " + output.string() + " 2>&1";
    const int status = std::system(command.c_str());
    std::ifstream file(output);
    std::ostringstream text;
    text << file.rdbuf();
    out = text.str();
    return WEXITSTATUS(status);
  }
};

}  // namespace

TEST_CASE("outbox list shows each undelivered post with its chat, channel, kind, incident, attempts, error and age") {
  Store fixture;
  std::string out;
  REQUIRE(fixture.run("list", out) == 0);
  CHECK_THAT(out, Catch::Contains("id\tchat\tchannel\tkind\tincident\tstate\tattempts\tage\tlast error"));
  CHECK_THAT(out, Catch::Contains(std::to_string(fixture.failed) + "\tslack\tincidents\tupdate\tINC-3\tfailed\t1\t"));
  CHECK_THAT(out, Catch::Contains("missing_scope"));
  CHECK_THAT(out, Catch::Contains(std::to_string(fixture.waiting) + "\tslack\tC2\tupdate\tINC-3\twaiting\t0\t"));
  REQUIRE(fixture.run("list --failed", out) == 0);
  CHECK_THAT(out, !Catch::Contains("\tC2\t"));
}

TEST_CASE("outbox retry makes a failed post due again; drop gives a waiting one up with its reason") {
  Store fixture;
  std::string out;
  REQUIRE(fixture.run("retry " + std::to_string(fixture.failed), out) == 0);
  CHECK_THAT(out, Catch::Contains("1 post is due again"));
  CHECK(fixture.run("retry " + std::to_string(fixture.failed), out) == 1);  // it is no longer failed
  CHECK_THAT(out, Catch::Contains("no failed post has id"));

  REQUIRE(fixture.run("drop " + std::to_string(fixture.waiting) + " channel archived", out) == 0);
  CHECK_THAT(out, Catch::Contains("dropped: channel archived"));
  REQUIRE(fixture.run("retry --all-failed", out) == 0);
  CHECK_THAT(out, Catch::Contains("1 post is due again"));
  auto db = store::open(fixture.path.string());
  CHECK(store::undelivered_posts(db, true, 10).empty());
  CHECK(store::undelivered_posts(db, false, 10).size() == 2);
}

TEST_CASE("outbox commands that are malformed get one line with the usage") {
  for (const auto& words : std::vector<std::vector<std::string>>{
           {}, {"purge"}, {"retry"}, {"retry", "x1"}, {"drop", "4"}, {"list", "--all"}}) {
    const auto parsed = bot::parse_outbox_command(words);
    REQUIRE(std::holds_alternative<std::string>(parsed));
    CHECK_THAT(std::get<std::string>(parsed), Catch::Contains("usage: incident-bot outbox list"));
  }
  CHECK(std::get<bot::OutboxCommand>(bot::parse_outbox_command({"drop", "4", "no", "longer", "needed"})).reason ==
        "no longer needed");
}
