#include "bot/core/store_directory.hpp"

#include "store/store.hpp"

namespace incident_bot::bot {

std::optional<Incident> StoreIncidentDirectory::by_number(std::int64_t number) const {
  return store::load_incident(db_, number);
}

std::optional<Incident> StoreIncidentDirectory::in_channel(const std::string& channel) const {
  if (auto incident = store::incident_in_channel(db_, channel)) return incident;
  // A chat names channels by id in its requests: the id remembered when the channel was made.
  if (const auto number = store::incident_of_channel_id(db_, platform_, channel)) return store::load_incident(db_, *number);
  return std::nullopt;
}

std::vector<std::int64_t> StoreIncidentDirectory::held_by(const UserId& user) const {
  return store::open_incidents_held_by(db_, user);
}

std::vector<workflows::OpenIncident> StoreIncidentDirectory::open() const {
  std::vector<workflows::OpenIncident> summaries;
  for (const auto& incident : store::open_incidents(db_)) summaries.push_back({incident.number, incident.title, incident.is_private});
  return summaries;
}

}  // namespace incident_bot::bot
