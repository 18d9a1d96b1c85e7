#include "bot/console/console.hpp"
#include "fakes/run_sync.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <sstream>

using namespace incident_bot;

namespace {

struct Fixture {
  store::Connection db = store::open(":memory:");
  Timestamp now = 1'795'000'000;
  bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::PlatformTraits{},
                             std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())};
  bot::Console console{db, dispatcher, bot::ConsoleOptions{"alice", "general", false}, [this] { return now; }};

  std::string run(const std::string& script) {
    std::istringstream in(script);
    std::ostringstream out;
    CHECK(console.run(in, out) == 0);
    return out.str();
  }
};

}  // namespace

TEST_CASE("the console prints the reply and the channel posts, once") {
  Fixture f;
  const std::string out = f.run("/incident declare Checkout down\n");
  CHECK_THAT(out, Catch::Contains("INC-1 declared: Checkout down"));
  CHECK_THAT(out, Catch::Contains("── #inc-1-checkout-down ──"));
  CHECK_THAT(out, Catch::Contains("── #incidents ──"));
  CHECK(f.run("/incident list\n").find("── #") == std::string::npos);  // posts were delivered and marked
}

TEST_CASE("/as switches the user and /in the channel") {
  Fixture f;
  f.run("/incident declare Checkout down\n");
  const std::string out = f.run("/as @bob\n/in #inc-1-checkout-down\n/incident role comms @bob\n");
  CHECK_THAT(out, Catch::Contains("(you are now @bob)"));
  CHECK_THAT(out, Catch::Contains("(you are now in #inc-1-checkout-down)"));
  CHECK(store::load_incident(f.db, 1)->comms == "bob");
  CHECK(store::load_timeline(f.db, 1).back().actor == "bob");
}

TEST_CASE("comments, blank lines and text without a slash change nothing") {
  Fixture f;
  const std::string out = f.run("# a comment\n\n   \ndeclare oops\n");
  CHECK_THAT(out, Catch::Contains("Type a slash command"));
  CHECK(store::open_incidents(f.db).empty());
}

TEST_CASE("ephemeral replies are marked as seen only by the user") {
  Fixture f;
  CHECK_THAT(f.run("/incident help\n"), Catch::StartsWith("(only you can see this)"));
}

TEST_CASE("echo repeats each line so a piped session reads as a transcript") {
  Fixture f;
  bot::Console echoing{f.db, f.dispatcher, bot::ConsoleOptions{"alice", "general", true}, [&] { return f.now; }};
  std::istringstream in("/incident list\n");
  std::ostringstream out;
  echoing.run(in, out);
  CHECK_THAT(out.str(), Catch::StartsWith("alice in #general> /incident list"));
}

TEST_CASE("the close guard follows the injected clock") {
  Fixture f;
  f.run("/incident declare Checkout down\n/incident INC-1 resolve rollback\n");
  CHECK_THAT(f.run("/incident INC-1 close\n"), Catch::Contains("30m left"));
  f.now += 30 * 60;
  CHECK_THAT(f.run("/incident INC-1 close\n"), Catch::Contains("INC-1 closed"));
  CHECK(store::load_incident(f.db, 1)->state == State::closed);
}

TEST_CASE("the console prints its waiting posts once, in order, and marks them delivered") {
  store::Connection db = store::open(":memory:");
  bot::Dispatcher dispatcher(db, workflows::Policy{}, bot::console_platform(),
                             std::make_shared<spdlog::logger>("c", std::make_shared<spdlog::sinks::null_sink_st>()));
  bot::Console console(db, dispatcher, {}, [] { return Timestamp{1'795'000'000}; });
  CHECK(console.traits().name == "console");
  for (const char* text : {"INC-1 declared", "INC-1 update"}) {
    store::OutboxRow row;
    row.platform = "console";
    row.channel = "incidents";
    row.payload = text;
    row.created_at = row.not_before = 1'795'000'000;
    store::enqueue_post(db, row);
  }
  std::ostringstream out;
  console.deliver_posts(out);
  CHECK(out.str() == "── #incidents ──\n  INC-1 declared\n── #incidents ──\n  INC-1 update\n");
  std::ostringstream again;
  console.deliver_posts(again);
  CHECK(again.str().empty());
  CHECK_FALSE(store::oldest_open_post(db));
}
