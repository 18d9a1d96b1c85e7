// What an operator does to the outbox while the bot runs: list, retry, drop; and the channel
// failures and creations in doubt the delivery engine keeps beside it.
#include "store/outbox_row.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

namespace incident_bot::store {

std::vector<OutboxListing> undelivered_posts(SQLite::Database& db, bool failed_only, int limit) {
  Prepared query(db, std::string("SELECT ") + outbox_row_columns + R"sql(, failed_at IS NOT NULL
      FROM outbox
      WHERE delivered_at IS NULL AND (failed_at IS NOT NULL OR ?1 = 0)
      ORDER BY id
      LIMIT ?2)sql");
  query.bind(1, failed_only ? 1 : 0);
  query.bind(2, limit);
  std::vector<OutboxListing> listing;
  while (query.executeStep()) listing.push_back({read_outbox_row(*query), query.getColumn(11).getInt() != 0});
  return listing;
}

int retry_failed(SQLite::Database& db, std::optional<std::int64_t> id, Timestamp now) {
  Prepared forget(db, R"sql(
      DELETE FROM channel_failures WHERE EXISTS (
        SELECT 1 FROM outbox WHERE outbox.failed_at IS NOT NULL AND outbox.delivered_at IS NULL
          AND outbox.platform = channel_failures.platform AND outbox.channel = channel_failures.name
          AND (?1 IS NULL OR outbox.id = ?1)))sql");
  Prepared reopen(db, R"sql(
      UPDATE outbox SET failed_at = NULL, not_before = ?2, attempts = 0, claimed_until = 0
      WHERE failed_at IS NOT NULL AND delivered_at IS NULL AND (?1 IS NULL OR id = ?1))sql");
  for (auto* statement : {&forget, &reopen}) {
    if (id) statement->bind(1, *id);
    else statement->bind(1);
  }
  reopen.bind(2, now);
  forget.exec();
  return reopen.exec();
}

bool drop_post(SQLite::Database& db, std::int64_t id, std::string_view reason, Timestamp at) {
  Prepared update(db, R"sql(
      UPDATE outbox SET failed_at = ?, last_error = ?, claimed_until = 0
      WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL)sql");
  update.bind(1, at);
  update.bind(2, "dropped by an operator: " + std::string(reason));
  update.bind(3, id);
  return update.exec() == 1;
}

void remember_channel_failure(SQLite::Database& db, std::string_view platform, std::string_view name,
                              std::string_view error, Timestamp at) {
  Prepared insert(db, "INSERT OR REPLACE INTO channel_failures (platform, name, error, at) VALUES (?, ?, ?, ?)");
  insert.bind(1, std::string(platform));
  insert.bind(2, std::string(name));
  insert.bind(3, std::string(error));
  insert.bind(4, at);
  insert.exec();
}

std::optional<std::string> channel_failure(SQLite::Database& db, std::string_view platform, std::string_view name) {
  Prepared query(db, "SELECT error FROM channel_failures WHERE platform = ? AND name = ?");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(name));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void begin_channel_creation(SQLite::Database& db, std::string_view platform, std::string_view name,
                            std::string_view asked_for) {
  Prepared insert(db, "INSERT OR REPLACE INTO channel_creations (platform, name, asked_for) VALUES (?, ?, ?)");
  insert.bind(1, std::string(platform));
  insert.bind(2, std::string(name));
  insert.bind(3, std::string(asked_for));
  insert.exec();
}

std::optional<std::string> channel_creation_in_doubt(SQLite::Database& db, std::string_view platform,
                                                     std::string_view name) {
  Prepared query(db, "SELECT asked_for FROM channel_creations WHERE platform = ? AND name = ?");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(name));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

void end_channel_creation(SQLite::Database& db, std::string_view platform, std::string_view name) {
  Prepared remove(db, "DELETE FROM channel_creations WHERE platform = ? AND name = ?");
  remove.bind(1, std::string(platform));
  remove.bind(2, std::string(name));
  remove.exec();
}

}  // namespace incident_bot::store
