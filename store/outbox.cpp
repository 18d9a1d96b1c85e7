// The outbox: posts written in the same transaction as the state change, delivered later.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace incident_bot::store {
namespace {

void require_one_row(int changed, std::int64_t id) {
  if (changed != 1) throw std::logic_error("no outbox row " + std::to_string(id));
}

}  // namespace

std::int64_t enqueue_post(SQLite::Database& db, const OutboxRow& row) {
  SQLite::Statement insert(db, R"sql(
      INSERT INTO outbox (platform, channel, kind, incident, payload, created_at, not_before, attempts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, row.platform);
  insert.bind(2, row.channel);
  insert.bind(3, row.kind);
  insert.bind(4, row.incident);
  insert.bind(5, row.payload);
  insert.bind(6, row.created_at);
  insert.bind(7, row.not_before);
  insert.bind(8, row.attempts);
  insert.exec();
  return db.getLastInsertRowid();
}

std::vector<OutboxRow> pending_posts(SQLite::Database& db, std::string_view platform, Timestamp now, int limit) {
  // A channel is blocked by its head: while an earlier undelivered post of the same channel
  // waits for its not_before, nothing after it goes out, so a retry never overtakes.
  SQLite::Statement query(db, R"sql(
      SELECT id, platform, channel, kind, incident, payload, created_at, not_before, attempts
      FROM outbox AS post
      WHERE post.platform = ?1 AND post.delivered_at IS NULL AND post.not_before <= ?2
        AND NOT EXISTS (
          SELECT 1 FROM outbox AS earlier
          WHERE earlier.platform = post.platform AND earlier.channel = post.channel
            AND earlier.delivered_at IS NULL AND earlier.id < post.id AND earlier.not_before > ?2)
      ORDER BY post.id
      LIMIT ?3)sql");
  query.bind(1, std::string(platform));
  query.bind(2, now);
  query.bind(3, limit);
  std::vector<OutboxRow> rows;
  while (query.executeStep()) {
    OutboxRow row;
    row.id = query.getColumn(0).getInt64();
    row.platform = query.getColumn(1).getString();
    row.channel = query.getColumn(2).getString();
    row.kind = query.getColumn(3).getString();
    row.incident = query.getColumn(4).getInt64();
    row.payload = query.getColumn(5).getString();
    row.created_at = query.getColumn(6).getInt64();
    row.not_before = query.getColumn(7).getInt64();
    row.attempts = query.getColumn(8).getInt();
    rows.push_back(std::move(row));
  }
  return rows;
}

void mark_delivered(SQLite::Database& db, std::int64_t id, std::string_view message_ref, Timestamp at) {
  SQLite::Statement update(db, "UPDATE outbox SET delivered_at = ?, message_ref = ? WHERE id = ?");
  update.bind(1, at);
  update.bind(2, std::string(message_ref));
  update.bind(3, id);
  require_one_row(update.exec(), id);
}

void mark_failed_attempt(SQLite::Database& db, std::int64_t id, Timestamp retry_at, std::string_view error) {
  SQLite::Statement update(
      db, "UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ? WHERE id = ?");
  update.bind(1, retry_at);
  update.bind(2, std::string(error));
  update.bind(3, id);
  require_one_row(update.exec(), id);
}

std::optional<Timestamp> next_post_due(SQLite::Database& db, std::string_view platform) {
  // Only the head of each channel counts: the posts behind it wait for it, whatever their own time.
  SQLite::Statement query(db, R"sql(
      SELECT MIN(head.not_before) FROM outbox AS head
      WHERE head.delivered_at IS NULL AND head.platform = ?1
        AND NOT EXISTS (SELECT 1 FROM outbox AS earlier
                        WHERE earlier.platform = ?1 AND earlier.channel = head.channel
                          AND earlier.delivered_at IS NULL AND earlier.id < head.id))sql");
  query.bind(1, std::string(platform));
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

void mark_abandoned(SQLite::Database& db, std::int64_t id, std::string_view error, Timestamp at) {
  SQLite::Statement update(
      db, "UPDATE outbox SET attempts = attempts + 1, delivered_at = ?, last_error = ? WHERE id = ?");
  update.bind(1, at);
  update.bind(2, std::string(error));
  update.bind(3, id);
  require_one_row(update.exec(), id);
}

}  // namespace incident_bot::store
