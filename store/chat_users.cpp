// A chat's user ids and the names people mention them by.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

namespace incident_bot::store {

void remember_user(SQLite::Database& db, std::string_view platform, std::string_view user_id, std::string_view name) {
  if (user_id.empty() || name.empty()) return;
  Prepared insert(db, R"sql(
      INSERT INTO chat_users (platform, user_id, name) VALUES (?, ?, ?)
      ON CONFLICT (platform, user_id) DO UPDATE SET name = excluded.name)sql");
  insert.bind(1, std::string(platform));
  insert.bind(2, std::string(user_id));
  insert.bind(3, std::string(name));
  insert.exec();
}

std::optional<std::string> user_name(SQLite::Database& db, std::string_view platform, std::string_view user_id) {
  Prepared query(db, "SELECT name FROM chat_users WHERE platform = ? AND user_id = ?");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(user_id));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

std::optional<std::string> user_named(SQLite::Database& db, std::string_view platform, std::string_view name) {
  // Names move between people rarely; when two ids carry one name, the one seen last wins.
  Prepared query(db, "SELECT user_id FROM chat_users WHERE platform = ? AND name = ? ORDER BY rowid DESC LIMIT 1");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(name));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

}  // namespace incident_bot::store
