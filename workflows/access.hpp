#pragma once
// Who may read or act on an incident. A public one is open to everyone; a private one only to its
// role holders, its declarer and the members of its own channel. To anyone else a private incident
// is not there: every verb answers them as it answers an INC-N that does not exist.
#include "workflows/addressing.hpp"

#include <functional>

namespace incident_bot::workflows {

// What the caller knows of the actor beyond the incident itself.
struct AccessFacts {
  UserId declarer;              // who declared the incident; "" when unknown
  bool channel_member = false;  // in the incident's own channel: the command was typed there, or the chat says so
};

bool holds_role(const Incident& incident, const UserId& user);  // detector, owner, comms or a specialist
bool may_see(const Incident& incident, const UserId& actor, const AccessFacts& facts);

// A directory as one actor sees it: the private incidents they may not see are missing from it.
class VisibleIncidents final : public IncidentDirectory {
 public:
  // Asked only of a private incident the actor holds no role in.
  using FactsOf = std::function<AccessFacts(const Incident&)>;
  VisibleIncidents(const IncidentDirectory& all, UserId actor, FactsOf facts_of);

  bool sees(const Incident& incident) const;

  std::optional<Incident> by_number(std::int64_t number) const override;
  std::optional<Incident> in_channel(const std::string& channel) const override;
  std::vector<std::int64_t> held_by(const UserId& user) const override;
  std::vector<OpenIncident> open() const override;

 private:
  std::optional<Incident> if_seen(std::optional<Incident> incident) const;

  const IncidentDirectory& all_;
  UserId actor_;
  FactsOf facts_of_;
};

}  // namespace incident_bot::workflows
