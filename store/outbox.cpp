// The outbox: posts written in the same transaction as the state change, delivered later.
#include "store/outbox_row.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace incident_bot::store {
namespace {

constexpr const char* row_columns = outbox_row_columns;

void require_one_row(int changed, std::int64_t id) {
  if (changed != 1) throw std::logic_error("no open outbox row " + std::to_string(id));
}

// A post of an incident waits for that incident's earlier card: the card makes the channel the post links.
bool waits_for_card(SQLite::Database& db, const OutboxRow& row) {
  if (row.incident == 0 || row.kind == workflows::PostKind::card) return false;
  Prepared query(db, R"sql(
      SELECT 1 FROM outbox WHERE platform = ? AND incident = ? AND kind = 'card' AND id < ?
        AND delivered_at IS NULL AND failed_at IS NULL LIMIT 1)sql");
  query.bind(1, row.platform);
  query.bind(2, row.incident);
  query.bind(3, row.id);
  return query.executeStep();
}

}  // namespace

OutboxRow read_outbox_row(SQLite::Statement& query) {
  OutboxRow row;
  row.id = query.getColumn(0).getInt64();
  row.platform = query.getColumn(1).getString();
  row.channel = query.getColumn(2).getString();
  const std::string kind = query.getColumn(3).getString();
  row.kind = workflows::post_kind_named(kind).value_or(workflows::PostKind::notice);
  row.incident = query.getColumn(4).getInt64();
  row.payload = query.getColumn(5).getString();
  row.created_at = query.getColumn(6).getInt64();
  row.not_before = query.getColumn(7).getInt64();
  row.attempts = query.getColumn(8).getInt();
  row.in_doubt = query.getColumn(9).getInt() != 0;
  row.last_error = query.getColumn(10).getString();
  return row;
}

std::vector<OutboxRow> read_outbox_rows(SQLite::Statement& query) {
  std::vector<OutboxRow> rows;
  while (query.executeStep()) rows.push_back(read_outbox_row(query));
  return rows;
}

std::int64_t enqueue_post(SQLite::Database& db, const OutboxRow& row) {
  Prepared insert(db, R"sql(
      INSERT INTO outbox (platform, channel, kind, incident, payload, created_at, not_before, attempts)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql");
  insert.bind(1, row.platform);
  insert.bind(2, row.channel);
  insert.bind(3, std::string(workflows::to_string(row.kind)));
  insert.bind(4, row.incident);
  insert.bind(5, row.payload);
  insert.bind(6, row.created_at);
  insert.bind(7, row.not_before);
  insert.bind(8, row.attempts);
  insert.exec();
  return db.getLastInsertRowid();
}

std::vector<OutboxRow> pending_posts(SQLite::Database& db, std::string_view platform, Timestamp now, int limit) {
  // A channel is blocked by its head: while an earlier open post of the same channel waits for
  // its not_before, nothing after it is returned, so a retry never overtakes.
  Prepared query(db, std::string("SELECT ") + row_columns + R"sql(
      FROM outbox AS post
      WHERE post.platform = ?1 AND post.delivered_at IS NULL AND post.failed_at IS NULL AND post.not_before <= ?2
        AND NOT EXISTS (
          SELECT 1 FROM outbox AS earlier
          WHERE earlier.platform = post.platform AND earlier.channel = post.channel
            AND earlier.delivered_at IS NULL AND earlier.failed_at IS NULL
            AND earlier.id < post.id AND earlier.not_before > ?2)
      ORDER BY post.id
      LIMIT ?3)sql");
  query.bind(1, std::string(platform));
  query.bind(2, now);
  query.bind(3, limit);
  return read_outbox_rows(*query);
}

std::vector<OutboxRow> channel_heads(SQLite::Database& db, std::string_view platform, std::string_view worker,
                                     Timestamp now, int limit) {
  Prepared query(db, std::string("SELECT ") + row_columns + R"sql(
      FROM outbox AS head
      WHERE head.platform = ?1 AND head.delivered_at IS NULL AND head.failed_at IS NULL AND head.not_before <= ?2
        AND (head.claimed_until <= ?2 OR head.claimed_by = ?3)
        AND NOT EXISTS (
          SELECT 1 FROM outbox AS earlier
          WHERE earlier.platform = head.platform AND earlier.channel = head.channel
            AND earlier.delivered_at IS NULL AND earlier.failed_at IS NULL AND earlier.id < head.id)
        AND NOT EXISTS (
          SELECT 1 FROM outbox AS card
          WHERE card.platform = head.platform AND card.incident = head.incident AND head.incident != 0
            AND card.kind = 'card' AND card.id < head.id AND card.delivered_at IS NULL AND card.failed_at IS NULL)
      ORDER BY head.id
      LIMIT ?4)sql");
  query.bind(1, std::string(platform));
  query.bind(2, now);
  query.bind(3, std::string(worker));
  query.bind(4, limit);
  return read_outbox_rows(*query);
}

std::optional<OutboxRow> channel_head(SQLite::Database& db, std::string_view platform, std::string_view channel,
                                      std::string_view worker, Timestamp now) {
  Prepared query(db, std::string("SELECT ") + row_columns + R"sql(
      FROM outbox
      WHERE platform = ?1 AND channel = ?2 AND delivered_at IS NULL AND failed_at IS NULL
      ORDER BY id
      LIMIT 1)sql");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(channel));
  if (!query.executeStep()) return std::nullopt;
  OutboxRow row = read_outbox_row(query);
  Prepared claim(db, "SELECT claimed_until, COALESCE(claimed_by, '') FROM outbox WHERE id = ?");
  claim.bind(1, row.id);
  claim.executeStep();
  const bool held_by_another = claim.getColumn(0).getInt64() > now && claim.getColumn(1).getString() != worker;
  if (row.not_before > now || held_by_another || waits_for_card(db, row)) return std::nullopt;
  return row;
}

std::vector<std::string> claiming_workers(SQLite::Database& db, std::string_view platform, Timestamp now) {
  Prepared query(db, R"sql(
      SELECT DISTINCT claimed_by FROM outbox
      WHERE platform = ? AND claimed_until > ? AND claimed_by IS NOT NULL
        AND delivered_at IS NULL AND failed_at IS NULL)sql");
  query.bind(1, std::string(platform));
  query.bind(2, now);
  std::vector<std::string> workers;
  while (query.executeStep()) workers.push_back(query.getColumn(0).getString());
  return workers;
}

void expire_claims(SQLite::Database& db, std::string_view worker) {
  Prepared update(db, "UPDATE outbox SET claimed_until = 0 WHERE claimed_by = ?");
  update.bind(1, std::string(worker));
  update.exec();
}

std::optional<OutboxRow> outbox_row(SQLite::Database& db, std::int64_t id) {
  Prepared query(db, std::string("SELECT ") + row_columns + " FROM outbox WHERE id = ?");
  query.bind(1, id);
  if (!query.executeStep()) return std::nullopt;
  return read_outbox_row(query);
}

bool claim_row(SQLite::Database& db, std::int64_t id, std::string_view worker, Timestamp now, Timestamp until) {
  Prepared update(db, R"sql(
      UPDATE outbox SET claimed_by = ?2, claimed_until = ?4
      WHERE id = ?1 AND delivered_at IS NULL AND failed_at IS NULL
        AND (claimed_until <= ?3 OR claimed_by = ?2))sql");
  update.bind(1, id);
  update.bind(2, std::string(worker));
  update.bind(3, now);
  update.bind(4, until);
  return update.exec() == 1;
}

void renew_claims(SQLite::Database& db, std::string_view worker, Timestamp until) {
  Prepared update(db, R"sql(
      UPDATE outbox SET claimed_until = ?2
      WHERE claimed_by = ?1 AND claimed_until > 0 AND delivered_at IS NULL AND failed_at IS NULL)sql");
  update.bind(1, std::string(worker));
  update.bind(2, until);
  update.exec();
}

void release_claim(SQLite::Database& db, std::int64_t id, std::string_view worker) {
  Prepared update(db, "UPDATE outbox SET claimed_until = 0 WHERE id = ? AND claimed_by = ?");
  update.bind(1, id);
  update.bind(2, std::string(worker));
  update.exec();
}

void mark_in_doubt(SQLite::Database& db, std::int64_t id) {
  Prepared update(db, "UPDATE outbox SET in_doubt = 1 WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL");
  update.bind(1, id);
  require_one_row(update.exec(), id);
}

void mark_delivered(SQLite::Database& db, std::int64_t id, std::string_view message_ref, Timestamp at) {
  Prepared update(db, R"sql(
      UPDATE outbox SET delivered_at = ?, message_ref = ?, in_doubt = 0, claimed_until = 0
      WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL)sql");
  update.bind(1, at);
  update.bind(2, std::string(message_ref));
  update.bind(3, id);
  require_one_row(update.exec(), id);
}

void mark_retry(SQLite::Database& db, std::int64_t id, Timestamp retry_at, std::string_view error, bool in_doubt) {
  Prepared update(db, R"sql(
      UPDATE outbox SET attempts = attempts + 1, not_before = ?, last_error = ?, in_doubt = ?, claimed_until = 0
      WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL)sql");
  update.bind(1, retry_at);
  update.bind(2, std::string(error));
  update.bind(3, in_doubt ? 1 : 0);
  update.bind(4, id);
  require_one_row(update.exec(), id);
}

void mark_failed(SQLite::Database& db, std::int64_t id, std::string_view error, Timestamp at) {
  Prepared update(db, R"sql(
      UPDATE outbox SET attempts = attempts + 1, failed_at = ?, last_error = ?, in_doubt = 0, claimed_until = 0
      WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL)sql");
  update.bind(1, at);
  update.bind(2, std::string(error));
  update.bind(3, id);
  require_one_row(update.exec(), id);
}

std::optional<Timestamp> next_post_due(SQLite::Database& db, std::string_view platform) {
  // Only the head of each channel counts: the posts behind it wait for it, whatever their own time.
  Prepared query(db, R"sql(
      SELECT MIN(MAX(head.not_before, head.claimed_until)) FROM outbox AS head
      WHERE head.delivered_at IS NULL AND head.failed_at IS NULL AND head.platform = ?1
        AND NOT EXISTS (SELECT 1 FROM outbox AS earlier
                        WHERE earlier.platform = ?1 AND earlier.channel = head.channel
                          AND earlier.delivered_at IS NULL AND earlier.failed_at IS NULL
                          AND earlier.id < head.id)
        AND NOT EXISTS (
          SELECT 1 FROM outbox AS card
          WHERE card.platform = head.platform AND card.incident = head.incident AND head.incident != 0
            AND card.kind = 'card' AND card.id < head.id AND card.delivered_at IS NULL AND card.failed_at IS NULL))sql");
  query.bind(1, std::string(platform));
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

std::optional<Timestamp> oldest_open_post(SQLite::Database& db) {
  Prepared query(db, "SELECT MIN(created_at) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL");
  if (!query.executeStep() || query.getColumn(0).isNull()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

int prune_delivered(SQLite::Database& db, Timestamp before, int limit) {
  // outbox_pending leads with delivered_at, so the range holds only delivered rows, oldest first;
  // the open rows after one are found through outbox_open_by_channel.
  Prepared remove(db, R"sql(
      DELETE FROM outbox WHERE id IN (
        SELECT done.id FROM outbox AS done
        WHERE done.delivered_at < ?1 AND done.failed_at IS NULL
          AND NOT EXISTS (
            SELECT 1 FROM outbox AS open
            WHERE open.platform = done.platform AND open.channel = done.channel
              AND open.delivered_at IS NULL AND open.failed_at IS NULL AND open.id > done.id)
        ORDER BY done.delivered_at
        LIMIT ?2))sql");
  remove.bind(1, before);
  remove.bind(2, limit);
  return remove.exec();
}

}  // namespace incident_bot::store
