// The ids a chat gave to the incident channels and cards the bot created there.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

namespace incident_bot::store {

void remember_channel(SQLite::Database& db, std::string_view platform, std::string_view name,
                      std::string_view channel_id, std::int64_t incident) {
  Prepared insert(db, R"sql(
      INSERT INTO chat_channels (platform, name, channel_id, incident) VALUES (?, ?, ?, ?)
      ON CONFLICT (platform, name) DO UPDATE SET channel_id = excluded.channel_id, incident = excluded.incident)sql");
  insert.bind(1, std::string(platform));
  insert.bind(2, std::string(name));
  insert.bind(3, std::string(channel_id));
  insert.bind(4, incident);
  insert.exec();
}

std::optional<std::string> channel_id(SQLite::Database& db, std::string_view platform, std::string_view name) {
  Prepared query(db, "SELECT channel_id FROM chat_channels WHERE platform = ? AND name = ?");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(name));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getString();
}

std::optional<std::int64_t> incident_of_channel_id(SQLite::Database& db, std::string_view platform,
                                                   std::string_view channel_id) {
  Prepared query(db, "SELECT incident FROM chat_channels WHERE platform = ? AND channel_id = ?");
  query.bind(1, std::string(platform));
  query.bind(2, std::string(channel_id));
  if (!query.executeStep()) return std::nullopt;
  return query.getColumn(0).getInt64();
}

std::vector<PrivateChannel> private_channels(SQLite::Database& db, std::string_view platform,
                                             std::optional<std::int64_t> number) {
  // Two statements, so that each finds its incidents through an index: the primary key, or the open ones'.
  constexpr const char* head =
      "SELECT i.number, c.channel_id FROM incidents i JOIN chat_channels c ON c.platform = ? AND c.name = i.channel "
      "WHERE i.is_private = 1 AND ";
  Prepared query(db, std::string(head) + (number ? "i.number = ?" : "i.state NOT IN ('closed', 'declined') ORDER BY i.number"));
  query.bind(1, std::string(platform));
  if (number) query.bind(2, *number);
  std::vector<PrivateChannel> channels;
  while (query.executeStep()) channels.push_back({query.getColumn(0).getInt64(), query.getColumn(1).getString()});
  return channels;
}

void remember_card(SQLite::Database& db, std::string_view platform, std::int64_t incident, const CardMessage& card) {
  Prepared insert(db, R"sql(
      INSERT INTO chat_cards (platform, incident, channel_id, message_id) VALUES (?, ?, ?, ?)
      ON CONFLICT (platform, incident) DO UPDATE SET channel_id = excluded.channel_id,
                                                     message_id = excluded.message_id)sql");
  insert.bind(1, std::string(platform));
  insert.bind(2, incident);
  insert.bind(3, card.channel_id);
  insert.bind(4, card.message_id);
  insert.exec();
}

std::optional<CardMessage> card_message(SQLite::Database& db, std::string_view platform, std::int64_t incident) {
  Prepared query(db, "SELECT channel_id, message_id FROM chat_cards WHERE platform = ? AND incident = ?");
  query.bind(1, std::string(platform));
  query.bind(2, incident);
  if (!query.executeStep()) return std::nullopt;
  return CardMessage{query.getColumn(0).getString(), query.getColumn(1).getString()};
}

}  // namespace incident_bot::store
