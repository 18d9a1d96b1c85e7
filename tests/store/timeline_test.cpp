#include "store/store.hpp"

#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Transaction.h>
#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;

namespace {

void save_plain_incident(SQLite::Database& db, std::int64_t number) {
  Incident incident;
  incident.number = number;
  incident.title = "incident " + std::to_string(number);
  store::save_incident(db, incident);
}

}  // namespace

TEST_CASE("timeline entries come back in the order they were appended") {
  auto db = store::open(":memory:");
  save_plain_incident(db, 1);
  save_plain_incident(db, 2);

  // Same second, and an entry earlier in time appended later: insertion order still rules.
  store::append_timeline(db, 1, {TimelineEntry{.at = 100, .actor = "alice", .kind = "declared", .text = "declared"},
                                 TimelineEntry{.at = 100, .actor = "alice", .kind = "role", .text = "owner: alice"}});
  store::append_timeline(db, 2, {TimelineEntry{.at = 150, .actor = "bob", .kind = "declared", .text = "other"}});
  store::append_timeline(db, 1, {TimelineEntry{.at = 90, .actor = "", .kind = "note", .text = "*bold* & <escaped>"}});
  store::append_timeline(db, 1, {});

  const auto entries = store::load_timeline(db, 1);
  REQUIRE(entries.size() == 3);
  CHECK(entries[0].kind == "declared");
  CHECK(entries[0].at == 100);
  CHECK(entries[0].actor == "alice");
  CHECK(entries[0].text == "declared");
  CHECK(entries[1].kind == "role");
  CHECK(entries[1].text == "owner: alice");
  CHECK(entries[2].at == 90);
  CHECK(entries[2].actor.empty());
  CHECK(entries[2].text == "*bold* & <escaped>");

  const auto other = store::load_timeline(db, 2);
  REQUIRE(other.size() == 1);
  CHECK(other[0].text == "other");
  CHECK(store::load_timeline(db, 3).empty());
}

TEST_CASE("a new incident's first entries may be appended before the incident is saved") {
  auto db = store::open(":memory:");
  SQLite::Transaction transaction(db);
  store::append_timeline(db, 1, {TimelineEntry{.at = 1, .actor = "alice", .kind = "declared", .text = "declared"}});
  save_plain_incident(db, 1);
  transaction.commit();
  CHECK(store::load_timeline(db, 1).size() == 1);
}

TEST_CASE("a timeline entry for an incident that is never saved is refused") {
  auto db = store::open(":memory:");
  const std::vector<TimelineEntry> entries{TimelineEntry{.at = 1, .actor = "alice", .kind = "note", .text = "x"}};
  CHECK_THROWS_AS(store::append_timeline(db, 42, entries), SQLite::Exception);

  SQLite::Transaction transaction(db);
  store::append_timeline(db, 42, entries);
  CHECK_THROWS_AS(transaction.commit(), SQLite::Exception);
}
