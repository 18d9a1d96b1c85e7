#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include "older_schema.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

Incident incident_due(std::int64_t number, Timestamp due_at) {
  Incident incident;
  incident.number = number;
  incident.title = "incident " + std::to_string(number);
  incident.channel = "inc-" + std::to_string(number);
  incident.reminders.due_at = due_at;
  return incident;
}

}  // namespace

TEST_CASE("reminders are saved and loaded with the incident") {
  auto db = store::open(":memory:");
  Incident incident = incident_due(1, 500);
  Reminders& reminders = incident.reminders;
  reminders.own_cadence = 7200;
  reminders.ladder_deadline = 400;
  reminders.ladder_step = 2;
  reminders.snoozed_until = 450;
  reminders.snoozed_deadline = 400;
  reminders.comms_step = 1;
  reminders.close_nudged_for = 300;
  reminders.postmortem_nudged_at = 200;
  reminders.updates_on_time = 3;
  reminders.updates_late = 1;
  reminders.late_total = 90;
  reminders.late_most = 60;
  store::save_incident(db, incident);
  const Reminders loaded = store::load_incident(db, 1)->reminders;
  CHECK(loaded.due_at == 500);
  CHECK(loaded.own_cadence == 7200);
  CHECK(loaded.ladder_deadline == 400);
  CHECK(loaded.ladder_step == 2);
  CHECK(loaded.snoozed_until == 450);
  CHECK(loaded.snoozed_deadline == 400);
  CHECK(loaded.comms_step == 1);
  CHECK(loaded.close_nudged_for == 300);
  CHECK(loaded.postmortem_nudged_at == 200);
  CHECK(loaded.updates_on_time == 3);
  CHECK(loaded.updates_late == 1);
  CHECK(loaded.late_total == 90);
  CHECK(loaded.late_most == 60);
}

TEST_CASE("due incidents and the earliest due time come from the index, earliest first") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::earliest_due(db));
  store::save_incident(db, incident_due(1, 300));
  store::save_incident(db, incident_due(2, 100));
  store::save_incident(db, incident_due(3, 0));  // nothing ahead
  store::save_incident(db, incident_due(4, 200));
  CHECK(store::earliest_due(db) == 100);
  CHECK(store::due_incidents(db, 250, 10) == std::vector<std::int64_t>{2, 4});
  CHECK(store::due_incidents(db, 1000, 2) == std::vector<std::int64_t>{2, 4});
  CHECK(store::due_incidents(db, 99, 10).empty());
  CHECK(db.execAndGet("SELECT count(*) FROM schedule WHERE due_at IS NULL").getInt() == 1);

  std::string plan;
  for (const auto& step : store::due_incidents_plan(db)) plan += step + "\n";
  CHECK_THAT(plan, Catch::StartsWith("SEARCH schedule USING"));
  CHECK_THAT(plan, Catch::Contains("INDEX schedule_by_due_at (due_at<?)"));
}

TEST_CASE("mark_postmortem_done sticks, even when a stale incident is saved afterwards") {
  auto db = store::open(":memory:");
  const Incident stale = incident_due(1, 100);
  store::save_incident(db, stale);
  store::mark_postmortem_done(db, 1, 150);
  store::mark_postmortem_done(db, 1, 170);  // the first time is kept
  store::save_incident(db, stale);
  CHECK(store::load_incident(db, 1)->reminders.postmortem_done_at == 150);
}

TEST_CASE("migration 2 schedules the open incidents of an older store from their deadline") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  store::migrate(db);
  store::testing::undo_migration_9(db);
  db.exec("DELETE FROM schedule");  // as if the incidents were written by version 1
  db.exec("PRAGMA user_version = 1");
  db.exec("DROP TABLE schedule");
  db.exec("DROP TABLE chat_channels");  // and everything after version 1
  db.exec("DROP TABLE chat_cards");
  db.exec("DROP TABLE postmortem_actions");
  db.exec("DROP TABLE postmortem_sections");
  db.exec("DROP TABLE postmortems");
  db.exec("DROP TABLE chat_users");
  db.exec("DROP TABLE channel_failures");
  db.exec("DROP TABLE channel_creations");
  db.exec("DROP TABLE incident_words");
  db.exec("DROP TABLE incident_word_pairs");
  db.exec("DROP INDEX deliveries_by_at");
  db.exec("DROP TABLE outbox");  // back to its version 1 shape
  db.exec(R"(CREATE TABLE outbox (id INTEGER PRIMARY KEY AUTOINCREMENT, platform TEXT NOT NULL, channel TEXT NOT NULL,
             kind TEXT NOT NULL, incident INTEGER NOT NULL, payload TEXT NOT NULL, created_at INTEGER NOT NULL,
             not_before INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, delivered_at INTEGER, message_ref TEXT,
             last_error TEXT))");
  db.exec("CREATE INDEX outbox_undelivered_by_channel ON outbox (platform, channel, id) WHERE delivered_at IS NULL");
  db.exec(R"(INSERT INTO outbox (platform, channel, kind, incident, payload, created_at, not_before, attempts,
             delivered_at, message_ref, last_error) VALUES
             ('slack', 'C1', 'card', 1, 'p', 10, 10, 1, 20, NULL, 'missing_scope'),
             ('slack', 'C1', 'update', 1, 'p', 10, 10, 0, 20, 'ts', NULL))");
  db.exec(R"(INSERT INTO incidents VALUES (1, 't', 'investigating', 3, 0, 'inc-1', 'general', 'a', 'a', '', '', '', '',
             'unknown', '', '', '', 0, 0, 0, 10, 0, 0, 0, 600, '', '', '', 'console'),
             (2, 't', 'closed', 3, 0, 'inc-2', 'general', 'a', 'a', '', '', '', '',
             'unknown', '', '', '', 0, 0, 0, 10, 0, 0, 50, 0, '', '', '', 'console'))");
  store::migrate(db);
  CHECK(store::current_version(db) == store::schema_version);
  CHECK(store::due_incidents(db, 1000, 10) == std::vector<std::int64_t>{1});
  CHECK(store::load_incident(db, 2)->reminders.due_at == 0);
  // An abandoned post of an older store (delivered_at without a message ref) is a failed one now.
  const auto failed = store::undelivered_posts(db, true, 10);
  REQUIRE(failed.size() == 1);
  CHECK(failed[0].row.last_error == "missing_scope");
}
