#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

PublicEntry entry_with(std::string id, std::vector<Timestamp> display_at) {
  PublicEntry entry;
  entry.public_id = std::move(id);
  entry.title = "Payments <degraded>";
  entry.created_at = 100;
  std::int64_t sequence = 0;
  for (const Timestamp at : display_at) {
    PublicUpdate update;
    update.sequence = ++sequence;
    update.status = at ? PublicStatus::identified : PublicStatus::investigating;
    update.impact = Impact::major;
    update.body = "Update " + std::to_string(sequence);
    update.components = {"Checkout", "Web app"};
    update.created_at = 90 + sequence;
    update.display_at = at;
    entry.updates.push_back(std::move(update));
  }
  return entry;
}

Incident incident_numbered(std::int64_t number) {
  Incident incident;
  incident.number = number;
  incident.title = "t";
  return incident;
}

}  // namespace

TEST_CASE("a public entry and its updates, held ones included, come back as saved") {
  auto db = store::open(":memory:");
  store::save_incident(db, incident_numbered(1));
  CHECK_FALSE(store::load_public_entry(db, 1).exists());
  PublicEntry entry = entry_with("abc123def456", {200, 0});
  entry.held_title = "Security";
  entry.postmortem_summary = "summary";
  entry.postmortem_at = 300;
  store::save_public_entry(db, 1, entry);
  CHECK(store::load_public_entry(db, 1) == entry);
  entry.withdrawn_at = 400;
  entry.withdrawn_reason = "wrong";
  entry.updates.pop_back();
  store::save_public_entry(db, 1, entry);
  CHECK(store::load_public_entry(db, 1) == entry);
}

TEST_CASE("every save moves the public revision on") {
  auto db = store::open(":memory:");
  CHECK(store::public_revision(db) == 0);
  store::save_incident(db, incident_numbered(1));
  store::save_incident(db, incident_numbered(2));
  store::save_public_entry(db, 1, entry_with("a", {200}));
  const auto first = store::public_revision(db);
  store::save_public_entry(db, 2, entry_with("b", {200}));
  const auto second = store::public_revision(db);
  store::save_public_entry(db, 1, entry_with("a", {200, 300}));
  CHECK(first < second);
  CHECK(second < store::public_revision(db));
}

TEST_CASE("public_entries gives only what is on the page: released updates, no withdrawn or unreleased entry") {
  auto db = store::open(":memory:");
  for (std::int64_t number = 1; number <= 4; ++number) store::save_incident(db, incident_numbered(number));
  store::save_public_entry(db, 1, entry_with("older", {200, 0}));  // one released, one held
  store::save_public_entry(db, 2, entry_with("newer", {250, 260}));
  store::save_public_entry(db, 3, entry_with("held", {0}));       // a private incident's draft
  PublicEntry withdrawn = entry_with("gone", {300});
  withdrawn.withdrawn_at = 310;
  store::save_public_entry(db, 4, withdrawn);
  const auto entries = store::public_entries(db);
  REQUIRE(entries.size() == 2);
  CHECK(entries[0].public_id == "newer");
  CHECK(entries[1].public_id == "older");
  REQUIRE(entries[1].updates.size() == 1);
  CHECK_FALSE(entries[1].updates[0].held());
}

TEST_CASE("the public state is kept with the incident") {
  auto db = store::open(":memory:");
  Incident incident = incident_numbered(1);
  incident.public_state = PublicState{true, PublicStatus::monitoring, Impact::critical, 500, 2};
  incident.reminders.impact_definite_at = 450;
  incident.reminders.publish_nudged = true;
  store::save_incident(db, incident);
  const auto loaded = store::load_incident(db, 1);
  CHECK(loaded->public_state == incident.public_state);
  CHECK(loaded->reminders.impact_definite_at == 450);
  CHECK(loaded->reminders.publish_nudged);
}
