#pragma once
// Takes a migrated store back to schema version 8, for the tests of the steps before 9.
#include <SQLiteCpp/Database.h>

namespace incident_bot::store::testing {

inline void undo_migration_9(SQLite::Database& db) {
  db.exec("DROP TABLE public_updates");
  db.exec("DROP TABLE public_entries");
  for (const char* column : {"public_published", "public_status", "public_impact", "public_at", "public_held"})
    db.exec(std::string("ALTER TABLE incidents DROP COLUMN ") + column);
  for (const char* column : {"impact_definite_at", "publish_nudged"})
    db.exec(std::string("ALTER TABLE schedule DROP COLUMN ") + column);
}

}  // namespace incident_bot::store::testing
