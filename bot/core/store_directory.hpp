#pragma once
// The incidents addressing chooses among, read from the store for one chat.
#include "workflows/addressing.hpp"

#include <SQLiteCpp/Database.h>

#include <string>

namespace incident_bot::bot {

class StoreIncidentDirectory final : public workflows::IncidentDirectory {
 public:
  // platform: the chat whose remembered channel ids identify incident channels.
  StoreIncidentDirectory(SQLite::Database& db, std::string platform) : db_(db), platform_(std::move(platform)) {}

  std::optional<Incident> by_number(std::int64_t number) const override;
  std::optional<Incident> in_channel(const std::string& channel) const override;
  std::vector<std::int64_t> held_by(const UserId& user) const override;
  std::vector<workflows::OpenIncident> open() const override;

 private:
  SQLite::Database& db_;
  std::string platform_;
};

}  // namespace incident_bot::bot
