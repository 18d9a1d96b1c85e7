// Each incident's reminders, and the index the scheduler wakes by.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <string>

namespace incident_bot::store {

namespace {

constexpr const char* due_incidents_sql =
    "SELECT incident FROM schedule WHERE due_at <= ?1 ORDER BY due_at, incident LIMIT ?2";

}  // namespace

void save_reminders(SQLite::Database& db, std::int64_t number, const Reminders& reminders) {
  // postmortem_done_at only grows: an Incident loaded before the postmortem was marked done,
  // and saved after, must not bring the nudges back.
  Prepared upsert(db, R"sql(
      INSERT INTO schedule (incident, due_at, own_cadence, ladder_deadline, ladder_step, snoozed_until,
                            snoozed_deadline, comms_step, close_nudged_for, postmortem_nudged_at,
                            postmortem_done_at, updates_on_time, updates_late, late_total, late_most,
                            impact_definite_at, publish_nudged)
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
      ON CONFLICT (incident) DO UPDATE SET
        due_at = excluded.due_at, own_cadence = excluded.own_cadence, ladder_deadline = excluded.ladder_deadline,
        ladder_step = excluded.ladder_step, snoozed_until = excluded.snoozed_until,
        snoozed_deadline = excluded.snoozed_deadline, comms_step = excluded.comms_step,
        close_nudged_for = excluded.close_nudged_for, postmortem_nudged_at = excluded.postmortem_nudged_at,
        postmortem_done_at = max(schedule.postmortem_done_at, excluded.postmortem_done_at),
        updates_on_time = excluded.updates_on_time, updates_late = excluded.updates_late,
        late_total = excluded.late_total, late_most = excluded.late_most,
        impact_definite_at = excluded.impact_definite_at, publish_nudged = excluded.publish_nudged)sql");
  int index = 0;
  const auto bind = [&](const auto& value) { upsert.bind(++index, value); };
  bind(number);
  if (reminders.due_at > 0) bind(reminders.due_at);
  else upsert.bind(++index);  // NULL: nothing ahead, so not in the index
  bind(reminders.own_cadence);
  bind(reminders.ladder_deadline);
  bind(reminders.ladder_step);
  bind(reminders.snoozed_until);
  bind(reminders.snoozed_deadline);
  bind(reminders.comms_step);
  bind(reminders.close_nudged_for);
  bind(reminders.postmortem_nudged_at);
  bind(reminders.postmortem_done_at);
  bind(reminders.updates_on_time);
  bind(reminders.updates_late);
  bind(reminders.late_total);
  bind(reminders.late_most);
  bind(reminders.impact_definite_at);
  bind(reminders.publish_nudged ? 1 : 0);
  upsert.exec();
}

void load_reminders(SQLite::Database& db, Incident& incident) {
  Prepared query(db, R"sql(
      SELECT due_at, own_cadence, ladder_deadline, ladder_step, snoozed_until, snoozed_deadline, comms_step,
             close_nudged_for, postmortem_nudged_at, postmortem_done_at, updates_on_time, updates_late,
             late_total, late_most, impact_definite_at, publish_nudged
      FROM schedule WHERE incident = ?)sql");
  query.bind(1, incident.number);
  if (!query.executeStep()) return;  // saved before reminders existed: the defaults
  int column = 0;
  const auto integer = [&] { return query.getColumn(column++).getInt64(); };
  const auto small = [&] { return query.getColumn(column++).getInt(); };
  Reminders& reminders = incident.reminders;
  reminders.due_at = integer();  // NULL reads as 0
  reminders.own_cadence = integer();
  reminders.ladder_deadline = integer();
  reminders.ladder_step = small();
  reminders.snoozed_until = integer();
  reminders.snoozed_deadline = integer();
  reminders.comms_step = small();
  reminders.close_nudged_for = integer();
  reminders.postmortem_nudged_at = integer();
  reminders.postmortem_done_at = integer();
  reminders.updates_on_time = small();
  reminders.updates_late = small();
  reminders.late_total = integer();
  reminders.late_most = integer();
  reminders.impact_definite_at = integer();
  reminders.publish_nudged = small() != 0;
}

std::optional<Timestamp> earliest_due(SQLite::Database& db) {
  Prepared query(db, "SELECT due_at FROM schedule WHERE due_at IS NOT NULL ORDER BY due_at LIMIT 1");
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

std::vector<std::int64_t> due_incidents(SQLite::Database& db, Timestamp now, int limit) {
  Prepared query(db, due_incidents_sql);
  query.bind(1, now);
  query.bind(2, limit);
  std::vector<std::int64_t> numbers;
  while (query.executeStep()) numbers.push_back(query.getColumn(0).getInt64());
  return numbers;
}

std::vector<std::string> due_incidents_plan(SQLite::Database& db) {
  Prepared query(db, std::string("EXPLAIN QUERY PLAN ") + due_incidents_sql);
  query.bind(1, Timestamp{0});
  query.bind(2, 1);
  std::vector<std::string> steps;
  while (query.executeStep()) steps.push_back(query.getColumn(3).getString());
  return steps;
}

void mark_postmortem_done(SQLite::Database& db, std::int64_t number, Timestamp at) {
  // The next wake finds nothing due and clears due_at; no rule is decided here.
  // An incident closed before reminders existed has no row yet.
  Prepared upsert(db, R"sql(
      INSERT INTO schedule (incident, postmortem_done_at) VALUES (?1, ?2)
      ON CONFLICT (incident) DO UPDATE SET postmortem_done_at = excluded.postmortem_done_at
        WHERE schedule.postmortem_done_at = 0)sql");
  upsert.bind(1, number);
  upsert.bind(2, at);
  upsert.exec();
}

}  // namespace incident_bot::store
