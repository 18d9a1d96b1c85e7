#include "workflows/access.hpp"

#include <algorithm>

namespace incident_bot::workflows {

bool holds_role(const Incident& incident, const UserId& user) {
  if (user.empty()) return false;  // an unassigned role is stored as "", which is nobody
  return incident.detector == user || incident.owner == user || incident.comms == user ||
         std::find(incident.specialists.begin(), incident.specialists.end(), user) != incident.specialists.end();
}

bool may_see(const Incident& incident, const UserId& actor, const AccessFacts& facts) {
  if (!incident.is_private) return true;
  if (actor.empty()) return false;
  return holds_role(incident, actor) || facts.declarer == actor || facts.channel_member;
}

VisibleIncidents::VisibleIncidents(const IncidentDirectory& all, UserId actor, FactsOf facts_of)
    : all_(all), actor_(std::move(actor)), facts_of_(std::move(facts_of)) {}

bool VisibleIncidents::sees(const Incident& incident) const {
  if (!incident.is_private) return true;
  if (holds_role(incident, actor_)) return true;  // no facts needed: the incident itself says so
  return may_see(incident, actor_, facts_of_(incident));
}

std::optional<Incident> VisibleIncidents::if_seen(std::optional<Incident> incident) const {
  if (incident && !sees(*incident)) return std::nullopt;
  return incident;
}

std::optional<Incident> VisibleIncidents::by_number(std::int64_t number) const { return if_seen(all_.by_number(number)); }

std::optional<Incident> VisibleIncidents::in_channel(const std::string& channel) const {
  return if_seen(all_.in_channel(channel));
}

// A role holder sees the incidents they hold; anyone else's roles are not this actor's business.
std::vector<std::int64_t> VisibleIncidents::held_by(const UserId& user) const {
  if (user == actor_) return all_.held_by(user);
  std::vector<std::int64_t> seen;
  for (const auto number : all_.held_by(user))
    if (by_number(number)) seen.push_back(number);
  return seen;
}

std::vector<OpenIncident> VisibleIncidents::open() const {
  std::vector<OpenIncident> seen;
  for (auto& summary : all_.open())
    if (!summary.is_private || by_number(summary.number)) seen.push_back(std::move(summary));
  return seen;
}

}  // namespace incident_bot::workflows
