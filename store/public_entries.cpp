// The public status page's entries and updates, in and out of the store.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <stdexcept>

namespace incident_bot::store {
namespace {

// Component names are joined with a newline, which a configured name never holds.
std::string joined(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& name : names) text += (text.empty() ? "" : "\n") + name;
  return text;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = std::min(text.find('\n', start), text.size());
    names.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

PublicStatus status_of(const std::string& stored) {
  if (const auto status = public_status_from(stored)) return *status;
  throw std::runtime_error("unknown public status '" + stored + "' in the store");
}

Impact impact_of(const std::string& stored) {
  if (const auto impact = impact_from(stored)) return *impact;
  throw std::runtime_error("unknown impact '" + stored + "' in the store");
}

constexpr const char* entry_columns =
    "incident, public_id, title, held_title, created_at, withdrawn_at, withdrawn_reason, postmortem_summary, "
    "postmortem_at";

PublicEntry read_entry(SQLite::Statement& row) {
  PublicEntry entry;
  entry.public_id = row.getColumn(1).getString();
  entry.title = row.getColumn(2).getString();
  entry.held_title = row.getColumn(3).getString();
  entry.created_at = row.getColumn(4).getInt64();
  entry.withdrawn_at = row.getColumn(5).getInt64();
  entry.withdrawn_reason = row.getColumn(6).getString();
  entry.postmortem_summary = row.getColumn(7).getString();
  entry.postmortem_at = row.getColumn(8).getInt64();
  return entry;
}

void load_updates(SQLite::Database& db, std::int64_t number, PublicEntry& entry, bool released_only) {
  Prepared query(db, std::string("SELECT sequence, status, impact, body, components, created_at, display_at "
                                 "FROM public_updates WHERE incident = ?") +
                         (released_only ? " AND display_at IS NOT NULL" : "") + " ORDER BY sequence");
  query.bind(1, number);
  while (query.executeStep()) {
    PublicUpdate update;
    update.sequence = query.getColumn(0).getInt64();
    update.status = status_of(query.getColumn(1).getString());
    update.impact = impact_of(query.getColumn(2).getString());
    update.body = query.getColumn(3).getString();
    update.components = split(query.getColumn(4).getString());
    update.created_at = query.getColumn(5).getInt64();
    update.display_at = query.getColumn(6).getInt64();  // NULL reads as 0: held
    entry.updates.push_back(std::move(update));
  }
}

}  // namespace

PublicEntry load_public_entry(SQLite::Database& db, std::int64_t number) {
  Prepared query(db, std::string("SELECT ") + entry_columns + " FROM public_entries WHERE incident = ?");
  query.bind(1, number);
  if (!query.executeStep()) return {};
  PublicEntry entry = read_entry(*query);
  load_updates(db, number, entry, false);
  return entry;
}

void save_public_entry(SQLite::Database& db, std::int64_t number, const PublicEntry& entry) {
  if (!entry.exists()) throw std::logic_error("a public entry is saved without its public id");
  execute(db, "SAVEPOINT save_public_entry");
  try {
    Prepared upsert(db, R"sql(
        INSERT INTO public_entries (incident, public_id, title, held_title, created_at, withdrawn_at, withdrawn_reason,
                                    postmortem_summary, postmortem_at, revision)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, (SELECT COALESCE(MAX(revision), 0) + 1 FROM public_entries))
        ON CONFLICT (incident) DO UPDATE SET
          title = excluded.title, held_title = excluded.held_title, withdrawn_at = excluded.withdrawn_at,
          withdrawn_reason = excluded.withdrawn_reason, postmortem_summary = excluded.postmortem_summary,
          postmortem_at = excluded.postmortem_at, revision = excluded.revision)sql");
    int index = 0;
    const auto bind = [&](const auto& value) { upsert.bind(++index, value); };
    bind(number);
    bind(entry.public_id);
    bind(entry.title);
    bind(entry.held_title);
    bind(entry.created_at);
    bind(entry.withdrawn_at);
    bind(entry.withdrawn_reason);
    bind(entry.postmortem_summary);
    bind(entry.postmortem_at);
    upsert.exec();

    Prepared clear(db, "DELETE FROM public_updates WHERE incident = ?");
    clear.bind(1, number);
    clear.exec();
    Prepared insert(db,
                    "INSERT INTO public_updates (incident, sequence, status, impact, body, components, created_at, "
                    "display_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& update : entry.updates) {
      insert.bind(1, number);
      insert.bind(2, update.sequence);
      insert.bind(3, std::string(to_string(update.status)));
      insert.bind(4, std::string(to_string(update.impact)));
      insert.bind(5, update.body);
      insert.bind(6, joined(update.components));
      insert.bind(7, update.created_at);
      if (update.held()) insert.bind(8);
      else insert.bind(8, update.display_at);
      insert.exec();
      insert.reset();
    }
    execute(db, "RELEASE save_public_entry");
  } catch (...) {
    execute(db, "ROLLBACK TO save_public_entry");
    execute(db, "RELEASE save_public_entry");
    throw;
  }
}

std::int64_t public_revision(SQLite::Database& db) {
  Prepared query(db, "SELECT COALESCE(MAX(revision), 0) FROM public_entries");
  query.executeStep();
  return query.getColumn(0).getInt64();
}

std::vector<PublicEntry> public_entries(SQLite::Database& db) {
  Prepared query(db, std::string("SELECT ") + entry_columns +
                         " FROM public_entries WHERE withdrawn_at = 0 AND EXISTS (SELECT 1 FROM public_updates u "
                         "WHERE u.incident = public_entries.incident AND u.display_at IS NOT NULL)");
  std::vector<std::pair<std::int64_t, PublicEntry>> found;
  while (query.executeStep()) found.emplace_back(query.getColumn(0).getInt64(), read_entry(*query));
  std::vector<PublicEntry> entries;
  for (auto& [number, entry] : found) {
    load_updates(db, number, entry, true);
    entries.push_back(std::move(entry));
  }
  std::stable_sort(entries.begin(), entries.end(), [](const PublicEntry& a, const PublicEntry& b) {
    return a.latest_released()->display_at > b.latest_released()->display_at;
  });
  return entries;
}

}  // namespace incident_bot::store
