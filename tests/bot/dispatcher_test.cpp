#include "bot/dispatcher.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

using namespace incident_bot;
using workflows::Visibility;

namespace {

constexpr Timestamp t0 = 1'795'000'000;

struct Fixture {
  SQLite::Database db = store::open(":memory:");
  std::ostringstream log;
  bot::Dispatcher dispatcher{db, workflows::Policy{}, templates::Markup::plain,
                             std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log))};

  bot::Reply say(std::string text, std::string channel = "general", UserId user = "alice", std::string delivery = {},
                 Timestamp now = t0) {
    return dispatcher.handle({"console", std::move(channel), std::move(user), std::move(text), std::move(delivery)}, now);
  }
};

}  // namespace

TEST_CASE("a declaration is stored with its timeline and its posts in the outbox") {
  Fixture f;
  const auto reply = f.say("declare Checkout fails on mobile sev2");
  CHECK(reply.visibility == Visibility::in_channel);
  CHECK_THAT(reply.text, Catch::StartsWith("INC-1 declared: Checkout fails on mobile"));
  const auto incident = store::load_incident(f.db, 1);
  REQUIRE(incident);
  CHECK(incident->declared_in == "general");
  CHECK(incident->platform == "console");
  CHECK(store::load_timeline(f.db, 1).size() == 1);
  const auto posts = store::pending_posts(f.db, "console", t0, 10);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].channel == "inc-1-checkout-fails-on-mobile");
  CHECK_THAT(posts[0].payload, Catch::Contains("INC-1 · Checkout fails on mobile"));
  CHECK(posts[1].channel == "incidents");
}

TEST_CASE("a malformed command gets a one-line error with the usage and changes nothing") {
  Fixture f;
  const auto reply = f.say("declare");
  CHECK(reply.visibility == Visibility::ephemeral);
  CHECK_THAT(reply.text, Catch::Contains("usage: declare <title>"));
  CHECK(reply.text.find('\n') == std::string::npos);
  CHECK(store::open_incidents(f.db).empty());
  CHECK(store::pending_posts(f.db, "console", t0, 10).empty());
}

TEST_CASE("inside an incident's channel the incident is implied") {
  Fixture f;
  f.say("declare Pixel broken");
  f.say("declare Spend stopped");
  const auto reply = f.say("scope EU only", "inc-2-spend-stopped", "zed");
  CHECK_THAT(reply.text, Catch::Contains("INC-2 scope: EU only"));
  CHECK(store::load_incident(f.db, 2)->scope == "EU only");
}

TEST_CASE("elsewhere INC-N addresses, or the one incident the user holds a role in") {
  Fixture f;
  f.say("declare Pixel broken", "general", "alice");
  f.say("declare Spend stopped", "general", "bob");
  CHECK_THAT(f.say("note from bob", "general", "bob").text, Catch::Contains("INC-2 note added"));
  CHECK_THAT(f.say("INC-1 note from bob", "general", "bob").text, Catch::Contains("INC-1 note added"));
  const auto ambiguous = f.say("note who am I", "general", "zed");
  CHECK_THAT(ambiguous.text, Catch::Contains("Which incident?"));
  CHECK_THAT(ambiguous.text, Catch::Contains("INC-1 (Pixel broken), INC-2 (Spend stopped)"));
  CHECK_THAT(f.say("INC-9 status").text, Catch::Contains("INC-9 does not exist"));
}

TEST_CASE("a redelivered request gets the first answer and is not done twice") {
  Fixture f;
  const auto first = f.say("declare Checkout down", "general", "alice", "delivery-1");
  const auto again = f.say("declare Checkout down", "general", "alice", "delivery-1", t0 + 5);
  CHECK(again.text == first.text);
  CHECK(again.visibility == first.visibility);
  CHECK(store::open_incidents(f.db).size() == 1);
  CHECK(store::pending_posts(f.db, "console", t0 + 5, 10).size() == 2);
  CHECK_THAT(f.log.str(), Catch::Contains("delivery-1 seen before"));
}

TEST_CASE("timeline and list read the store") {
  Fixture f;
  f.say("declare Checkout down");
  f.say("INC-1 note looked at the dashboards");
  const auto timeline = f.say("INC-1 timeline");
  CHECK(timeline.visibility == Visibility::ephemeral);
  CHECK_THAT(timeline.text, Catch::Contains("note · looked at the dashboards"));
  CHECK_THAT(f.say("list").text, Catch::Contains("INC-1 · sev3 · triage · Checkout down"));
}
