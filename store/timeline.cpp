// The incident's timeline: append only, read back in the order written.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <utility>

namespace incident_bot::store {

void append_timeline(SQLite::Database& db, std::int64_t number, const std::vector<TimelineEntry>& entries) {
  if (entries.empty()) return;
  Prepared insert(db, "INSERT INTO timeline (incident, at, actor, kind, text) VALUES (?, ?, ?, ?, ?)");
  for (const auto& entry : entries) {
    insert.bind(1, number);
    insert.bind(2, entry.at);
    insert.bind(3, entry.actor);
    insert.bind(4, entry.kind);
    insert.bind(5, entry.text);
    insert.exec();
    insert.reset();
  }
}

std::vector<TimelineEntry> load_timeline(SQLite::Database& db, std::int64_t number) {
  // By id, not by time: entries written in one transaction share a second and keep their order.
  Prepared query(db, "SELECT at, actor, kind, text FROM timeline WHERE incident = ? ORDER BY id");
  query.bind(1, number);
  std::vector<TimelineEntry> entries;
  while (query.executeStep()) {
    TimelineEntry entry;
    entry.at = query.getColumn(0).getInt64();
    entry.actor = query.getColumn(1).getString();
    entry.kind = query.getColumn(2).getString();
    entry.text = query.getColumn(3).getString();
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace incident_bot::store
