// Delivery ids: a platform that redelivers a request gets the answer it was given the first time.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

namespace incident_bot::store {

// An empty id (the console has none) identifies nothing, so it is never looked up nor kept.

std::optional<std::string> earlier_answer(SQLite::Database& db, std::string_view delivery_id) {
  if (delivery_id.empty()) return std::nullopt;
  Prepared query(db, "SELECT answer FROM deliveries WHERE delivery_id = ?");
  query.bind(1, std::string(delivery_id));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void record_answer(SQLite::Database& db, std::string_view delivery_id, std::string_view answer, Timestamp at) {
  if (delivery_id.empty()) return;
  // OR IGNORE: the first answer wins; a racing duplicate must not fail its transaction.
  Prepared insert(db, "INSERT OR IGNORE INTO deliveries (delivery_id, answer, at) VALUES (?, ?, ?)");
  insert.bind(1, std::string(delivery_id));
  insert.bind(2, std::string(answer));
  insert.bind(3, at);
  insert.exec();
}

int prune_deliveries(SQLite::Database& db, Timestamp before, int limit) {
  // Through deliveries_by_at: the oldest ids are found without reading the newer ones.
  Prepared remove(db, R"sql(
      DELETE FROM deliveries WHERE rowid IN (
        SELECT rowid FROM deliveries WHERE at < ?1 ORDER BY at LIMIT ?2))sql");
  remove.bind(1, before);
  remove.bind(2, limit);
  return remove.exec();
}

}  // namespace incident_bot::store
