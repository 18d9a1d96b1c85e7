// Incidents, with their specialists and changes, in and out of the store.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <stdexcept>
#include <string>
#include <utility>

namespace incident_bot::store {
namespace {

// The names written to the store are part of the schema: they do not follow display wording.
constexpr std::array<std::pair<State, const char*>, 6> state_names{{
    {State::triage, "triage"},
    {State::investigating, "investigating"},
    {State::contained, "contained"},
    {State::monitoring, "monitoring"},
    {State::closed, "closed"},
    {State::declined, "declined"},
}};
constexpr std::array<std::pair<Confidence, const char*>, 4> confidence_names{{
    {Confidence::unknown, "unknown"},
    {Confidence::low, "low"},
    {Confidence::medium, "medium"},
    {Confidence::high, "high"},
}};

template <typename Enum, std::size_t N>
std::string name_of(const std::array<std::pair<Enum, const char*>, N>& names, Enum value) {
  for (const auto& [candidate, name] : names)
    if (candidate == value) return name;
  throw std::logic_error("an enum value has no stored name");
}

template <typename Enum, std::size_t N>
Enum value_of(const std::array<std::pair<Enum, const char*>, N>& names, const std::string& stored,
              const char* what) {
  for (const auto& [value, name] : names)
    if (stored == name) return value;
  throw std::runtime_error(std::string("unknown ") + what + " '" + stored + "' in the store");
}

// The column order read_incident expects; every query that returns incidents selects this.
constexpr const char* incident_columns =
    "number, title, state, severity, is_private, channel, declared_in, detector, owner, comms, "
    "symptom, scope, layer, confidence, mitigation, next_check, next_check_owner, "
    "most_changes_in_flight, parallel_change_warnings, update_count, declared_at, last_update_at, "
    "resolved_at, closed_at, next_update_due, resolution, decline_reason, close_reason, platform";

constexpr const char* open_condition = "state NOT IN ('closed', 'declined')";

Incident read_incident(SQLite::Statement& row) {
  int column = 0;
  const auto integer = [&] { return row.getColumn(column++).getInt64(); };
  const auto small = [&] { return row.getColumn(column++).getInt(); };
  const auto text = [&] { return row.getColumn(column++).getString(); };

  Incident incident;
  incident.number = integer();
  incident.title = text();
  incident.state = value_of(state_names, text(), "state");
  incident.severity = small();
  incident.is_private = small() != 0;
  incident.channel = text();
  incident.declared_in = text();
  incident.detector = text();
  incident.owner = text();
  incident.comms = text();
  incident.symptom = text();
  incident.scope = text();
  incident.layer = text();
  incident.confidence = value_of(confidence_names, text(), "confidence");
  incident.mitigation = text();
  incident.next_check = text();
  incident.next_check_owner = text();
  incident.most_changes_in_flight = small();
  incident.parallel_change_warnings = small();
  incident.update_count = small();
  incident.declared_at = integer();
  incident.last_update_at = integer();
  incident.resolved_at = integer();
  incident.closed_at = integer();
  incident.next_update_due = integer();
  incident.resolution = text();
  incident.decline_reason = text();
  incident.close_reason = text();
  incident.platform = text();
  return incident;
}

void load_details(SQLite::Database& db, Incident& incident) {
  SQLite::Statement specialists(db, "SELECT user FROM specialists WHERE incident = ? ORDER BY position");
  specialists.bind(1, incident.number);
  while (specialists.executeStep()) incident.specialists.push_back(specialists.getColumn(0).getString());

  SQLite::Statement changes(
      db, "SELECT sequence, what, actor, at, verified FROM changes WHERE incident = ? ORDER BY sequence");
  changes.bind(1, incident.number);
  while (changes.executeStep()) {
    Change change;
    change.sequence = changes.getColumn(0).getInt64();
    change.what = changes.getColumn(1).getString();
    change.actor = changes.getColumn(2).getString();
    change.at = changes.getColumn(3).getInt64();
    change.verified = changes.getColumn(4).getInt() != 0;
    incident.changes.push_back(std::move(change));
  }
  load_reminders(db, incident);
}

std::vector<Incident> load_all(SQLite::Database& db, SQLite::Statement& query) {
  std::vector<Incident> incidents;
  while (query.executeStep()) incidents.push_back(read_incident(query));
  for (auto& incident : incidents) load_details(db, incident);
  return incidents;
}

// SQLiteCpp 3.2's Savepoint leaves the transaction open after a rollback; this one releases it.
class Savepoint {
 public:
  explicit Savepoint(SQLite::Database& db) : db_(db) { db_.exec("SAVEPOINT save_incident"); }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint() {
    if (released_) return;
    try {
      db_.exec("ROLLBACK TO save_incident");
      db_.exec("RELEASE save_incident");
    } catch (...) {  // a destructor must not throw; the error already on its way says what failed
    }
  }
  void release() {
    db_.exec("RELEASE save_incident");
    released_ = true;
  }

 private:
  SQLite::Database& db_;
  bool released_ = false;
};

void upsert_row(SQLite::Database& db, const Incident& incident) {
  // An upsert, not INSERT OR REPLACE: replacing would delete the row and cascade to its children.
  SQLite::Statement upsert(db, std::string("INSERT INTO incidents (") + incident_columns + R"sql()
      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19,
              ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29)
      ON CONFLICT (number) DO UPDATE SET
        title = excluded.title, state = excluded.state, severity = excluded.severity,
        is_private = excluded.is_private, channel = excluded.channel,
        declared_in = excluded.declared_in, detector = excluded.detector, owner = excluded.owner,
        comms = excluded.comms, symptom = excluded.symptom, scope = excluded.scope,
        layer = excluded.layer, confidence = excluded.confidence, mitigation = excluded.mitigation,
        next_check = excluded.next_check, next_check_owner = excluded.next_check_owner,
        most_changes_in_flight = excluded.most_changes_in_flight,
        parallel_change_warnings = excluded.parallel_change_warnings,
        update_count = excluded.update_count, declared_at = excluded.declared_at,
        last_update_at = excluded.last_update_at, resolved_at = excluded.resolved_at,
        closed_at = excluded.closed_at, next_update_due = excluded.next_update_due,
        resolution = excluded.resolution, decline_reason = excluded.decline_reason,
        close_reason = excluded.close_reason, platform = excluded.platform)sql");
  int index = 0;
  const auto bind = [&](const auto& value) { upsert.bind(++index, value); };
  bind(incident.number);
  bind(incident.title);
  bind(name_of(state_names, incident.state));
  bind(incident.severity);
  bind(incident.is_private ? 1 : 0);
  bind(incident.channel);
  bind(incident.declared_in);
  bind(incident.detector);
  bind(incident.owner);
  bind(incident.comms);
  bind(incident.symptom);
  bind(incident.scope);
  bind(incident.layer);
  bind(name_of(confidence_names, incident.confidence));
  bind(incident.mitigation);
  bind(incident.next_check);
  bind(incident.next_check_owner);
  bind(incident.most_changes_in_flight);
  bind(incident.parallel_change_warnings);
  bind(incident.update_count);
  bind(incident.declared_at);
  bind(incident.last_update_at);
  bind(incident.resolved_at);
  bind(incident.closed_at);
  bind(incident.next_update_due);
  bind(incident.resolution);
  bind(incident.decline_reason);
  bind(incident.close_reason);
  bind(incident.platform);
  upsert.exec();
}

void replace_specialists(SQLite::Database& db, const Incident& incident) {
  SQLite::Statement clear(db, "DELETE FROM specialists WHERE incident = ?");
  clear.bind(1, incident.number);
  clear.exec();
  SQLite::Statement insert(db, "INSERT INTO specialists (incident, user, position) VALUES (?, ?, ?)");
  for (std::size_t position = 0; position < incident.specialists.size(); ++position) {
    insert.bind(1, incident.number);
    insert.bind(2, incident.specialists[position]);
    insert.bind(3, static_cast<std::int64_t>(position));
    insert.exec();
    insert.reset();
  }
}

void replace_changes(SQLite::Database& db, const Incident& incident) {
  SQLite::Statement clear(db, "DELETE FROM changes WHERE incident = ?");
  clear.bind(1, incident.number);
  clear.exec();
  SQLite::Statement insert(
      db, "INSERT INTO changes (incident, sequence, what, actor, at, verified) VALUES (?, ?, ?, ?, ?, ?)");
  for (const auto& change : incident.changes) {
    insert.bind(1, incident.number);
    insert.bind(2, change.sequence);
    insert.bind(3, change.what);
    insert.bind(4, change.actor);
    insert.bind(5, change.at);
    insert.bind(6, change.verified ? 1 : 0);
    insert.exec();
    insert.reset();
  }
}

}  // namespace

std::int64_t next_incident_number(SQLite::Database& db) {
  return db.execAndGet("SELECT COALESCE(MAX(number), 0) + 1 FROM incidents").getInt64();
}

void save_incident(SQLite::Database& db, const Incident& incident) {
  Savepoint savepoint(db);  // a half-replaced incident is never left behind, transaction or not
  upsert_row(db, incident);
  replace_specialists(db, incident);
  replace_changes(db, incident);
  save_reminders(db, incident.number, incident.reminders);
  replace_incident_words(db, incident.number);
  savepoint.release();
}

std::optional<Incident> load_incident(SQLite::Database& db, std::int64_t number) {
  SQLite::Statement query(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE number = ?");
  query.bind(1, number);
  auto found = load_all(db, query);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<Incident> incident_in_channel(SQLite::Database& db, std::string_view channel) {
  if (channel.empty()) return std::nullopt;
  // A channel may have seen several incidents: the open one wins, then the latest.
  SQLite::Statement query(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE channel = ? " +
                                  "ORDER BY (" + open_condition + ") DESC, number DESC LIMIT 1");
  query.bind(1, std::string(channel));
  auto found = load_all(db, query);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Incident> open_incidents(SQLite::Database& db) {
  SQLite::Statement query(
      db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE " + open_condition + " ORDER BY number");
  return load_all(db, query);
}

std::vector<std::int64_t> open_incidents_held_by(SQLite::Database& db, std::string_view user) {
  if (user.empty()) return {};  // an unassigned role is stored as "", which is nobody
  SQLite::Statement query(db, std::string("SELECT number FROM incidents WHERE ") + open_condition +
                                  " AND (detector = ?1 OR owner = ?1 OR comms = ?1"
                                  " OR number IN (SELECT incident FROM specialists WHERE user = ?1))"
                                  " ORDER BY number");
  query.bind(1, std::string(user));
  std::vector<std::int64_t> numbers;
  while (query.executeStep()) numbers.push_back(query.getColumn(0).getInt64());
  return numbers;
}

}  // namespace incident_bot::store
