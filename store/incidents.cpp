// Incidents, with their specialists and changes, in and out of the store.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <stdexcept>
#include <tuple>
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

constexpr std::array<std::pair<PublicStatus, const char*>, 4> public_status_names{{
    {PublicStatus::investigating, "investigating"},
    {PublicStatus::identified, "identified"},
    {PublicStatus::monitoring, "monitoring"},
    {PublicStatus::resolved, "resolved"},
}};
constexpr std::array<std::pair<Impact, const char*>, 4> impact_names{{
    {Impact::none, "none"},
    {Impact::minor, "minor"},
    {Impact::major, "major"},
    {Impact::critical, "critical"},
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
    "resolved_at, closed_at, next_update_due, resolution, decline_reason, close_reason, platform, "
    "public_published, public_status, public_impact, public_at, public_held";

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
  incident.public_state.published = small() != 0;
  incident.public_state.status = value_of(public_status_names, text(), "public status");
  incident.public_state.impact = value_of(impact_names, text(), "impact");
  incident.public_state.at = integer();
  incident.public_state.held = small();
  return incident;
}

void load_details(SQLite::Database& db, Incident& incident) {
  Prepared specialists(db, "SELECT user FROM specialists WHERE incident = ? ORDER BY position");
  specialists.bind(1, incident.number);
  while (specialists.executeStep()) incident.specialists.push_back(specialists.getColumn(0).getString());

  Prepared changes(db, "SELECT sequence, what, actor, at, verified FROM changes WHERE incident = ? ORDER BY sequence");
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
  explicit Savepoint(SQLite::Database& db) : db_(db) { execute(db_, "SAVEPOINT save_incident"); }
  Savepoint(const Savepoint&) = delete;
  Savepoint& operator=(const Savepoint&) = delete;
  ~Savepoint() {
    if (released_) return;
    try {
      execute(db_, "ROLLBACK TO save_incident");
      execute(db_, "RELEASE save_incident");
    } catch (...) {  // a destructor must not throw; the error already on its way says what failed
    }
  }
  void release() {
    execute(db_, "RELEASE save_incident");
    released_ = true;
  }

 private:
  SQLite::Database& db_;
  bool released_ = false;
};

// Columns 2 onwards: everything but the number. UPDATE names them without the key, so SQLite skips the
// deferred foreign-key count over the incident's timeline that an upsert would do on every save.
constexpr const char* update_incident_sql = R"sql(
      UPDATE incidents SET
        title = ?2, state = ?3, severity = ?4, is_private = ?5, channel = ?6, declared_in = ?7, detector = ?8,
        owner = ?9, comms = ?10, symptom = ?11, scope = ?12, layer = ?13, confidence = ?14, mitigation = ?15,
        next_check = ?16, next_check_owner = ?17, most_changes_in_flight = ?18, parallel_change_warnings = ?19,
        update_count = ?20, declared_at = ?21, last_update_at = ?22, resolved_at = ?23, closed_at = ?24,
        next_update_due = ?25, resolution = ?26, decline_reason = ?27, close_reason = ?28, platform = ?29,
        public_published = ?30, public_status = ?31, public_impact = ?32, public_at = ?33, public_held = ?34
      WHERE number = ?1)sql";

void bind_incident(Prepared& statement, const Incident& incident) {
  int index = 0;
  const auto bind = [&](const auto& value) { statement.bind(++index, value); };
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
  bind(incident.public_state.published ? 1 : 0);
  bind(name_of(public_status_names, incident.public_state.status));
  bind(name_of(impact_names, incident.public_state.impact));
  bind(incident.public_state.at);
  bind(incident.public_state.held);
}

// The incidents row's own columns, in the order incident_columns names them.
auto row_of(const Incident& i) {
  return std::tie(i.number, i.title, i.state, i.severity, i.is_private, i.channel, i.declared_in, i.detector, i.owner,
                  i.comms, i.symptom, i.scope, i.layer, i.confidence, i.mitigation, i.next_check, i.next_check_owner,
                  i.most_changes_in_flight, i.parallel_change_warnings, i.update_count, i.declared_at,
                  i.last_update_at, i.resolved_at, i.closed_at, i.next_update_due, i.resolution, i.decline_reason,
                  i.close_reason, i.platform, i.public_state);
}

bool same_row(const Incident& a, const Incident& b) { return row_of(a) == row_of(b); }

void write_row(SQLite::Database& db, const Incident& incident) {
  Prepared update(db, update_incident_sql);
  bind_incident(update, incident);
  if (update.exec() > 0) return;
  static const std::string insert_sql = std::string("INSERT INTO incidents (") + incident_columns +
                                        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                        "?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)";
  Prepared insert(db, insert_sql);
  bind_incident(insert, incident);
  insert.exec();
}

void replace_specialists(SQLite::Database& db, const Incident& incident) {
  Prepared clear(db, "DELETE FROM specialists WHERE incident = ?");
  clear.bind(1, incident.number);
  clear.exec();
  Prepared insert(db, "INSERT INTO specialists (incident, user, position) VALUES (?, ?, ?)");
  for (std::size_t position = 0; position < incident.specialists.size(); ++position) {
    insert.bind(1, incident.number);
    insert.bind(2, incident.specialists[position]);
    insert.bind(3, static_cast<std::int64_t>(position));
    insert.exec();
    insert.reset();
  }
}

void replace_changes(SQLite::Database& db, const Incident& incident) {
  Prepared clear(db, "DELETE FROM changes WHERE incident = ?");
  clear.bind(1, incident.number);
  clear.exec();
  Prepared insert(db, "INSERT INTO changes (incident, sequence, what, actor, at, verified) VALUES (?, ?, ?, ?, ?, ?)");
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
  Prepared query(db, "SELECT COALESCE(MAX(number), 0) + 1 FROM incidents");
  query.executeStep();
  return query.getColumn(0).getInt64();
}

void save_incident(SQLite::Database& db, const Incident& incident, const Incident* stored) {
  if (stored && stored->number != incident.number) stored = nullptr;
  const bool row_changed = !stored || !same_row(*stored, incident);
  const bool specialists_changed = !stored || stored->specialists != incident.specialists;
  const bool changes_changed = !stored || stored->changes != incident.changes;
  const bool reminders_changed = !stored || stored->reminders != incident.reminders;
  if (!row_changed && !specialists_changed && !changes_changed && !reminders_changed) return;
  Savepoint savepoint(db);  // a half-replaced incident is never left behind, transaction or not
  if (row_changed) {
    write_row(db, incident);
    replace_incident_words(db, incident.number);
  }
  if (specialists_changed) replace_specialists(db, incident);
  if (changes_changed) replace_changes(db, incident);
  if (reminders_changed) save_reminders(db, incident.number, incident.reminders);
  savepoint.release();
}

std::optional<Incident> load_incident(SQLite::Database& db, std::int64_t number) {
  Prepared query(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE number = ?");
  query.bind(1, number);
  auto found = load_all(db, *query);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::optional<Incident> incident_in_channel(SQLite::Database& db, std::string_view channel) {
  if (channel.empty()) return std::nullopt;
  // A channel may have seen several incidents: the open one wins, then the latest.
  Prepared query(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE channel = ? " +
                                  "ORDER BY (" + open_condition + ") DESC, number DESC LIMIT 1");
  query.bind(1, std::string(channel));
  auto found = load_all(db, *query);
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Incident> open_incidents(SQLite::Database& db) {
  Prepared query(db, std::string("SELECT ") + incident_columns + " FROM incidents WHERE " + open_condition + " ORDER BY number");
  return load_all(db, *query);
}

std::vector<std::int64_t> open_incidents_held_by(SQLite::Database& db, std::string_view user) {
  if (user.empty()) return {};  // an unassigned role is stored as "", which is nobody
  Prepared query(db, std::string("SELECT number FROM incidents WHERE ") + open_condition +
                                  " AND (detector = ?1 OR owner = ?1 OR comms = ?1"
                                  " OR number IN (SELECT incident FROM specialists WHERE user = ?1))"
                                  " ORDER BY number");
  query.bind(1, std::string(user));
  std::vector<std::int64_t> numbers;
  while (query.executeStep()) numbers.push_back(query.getColumn(0).getInt64());
  return numbers;
}

std::optional<UserId> declarer_of(SQLite::Database& db, std::int64_t number) {
  Prepared query(db, "SELECT actor FROM timeline WHERE incident = ? AND kind = 'declared' ORDER BY id LIMIT 1");
  query.bind(1, number);
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

}  // namespace incident_bot::store
