// Roles from the doctrine: detector, one owner, specialists, one comms lead.
#include "workflows/markup.hpp"
#include "workflows/verbs.hpp"

#include <algorithm>

namespace incident_bot::workflows::detail {

namespace {

UserId* single_holder(Incident& incident, Role role) {
  switch (role) {
    case Role::owner: return &incident.owner;
    case Role::comms: return &incident.comms;
    case Role::detector: return &incident.detector;
    case Role::specialist: return nullptr;
  }
  return nullptr;
}

std::string role_title(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::comms: return "comms lead";
    case Role::detector: return "detector";
    case Role::specialist: return "specialist";
  }
  return "";
}

}  // namespace

Outcome assign_role(const Request& request, const Incident& incident, const commands::AssignRole& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  Incident next = incident;
  const std::string who = markup::mention(command.user);
  std::string text;
  if (UserId* holder = single_holder(next, command.role)) {
    if (*holder == command.user) return refuse(who + " is already " + role_title(command.role) + " of " + id(incident) + ".");
    text = holder->empty() ? who + " is now " + role_title(command.role)
                           : "Handover: " + role_title(command.role) + " " + markup::mention(*holder) + " → " + who;
    *holder = command.user;
  } else {
    auto& specialists = next.specialists;
    if (std::find(specialists.begin(), specialists.end(), command.user) != specialists.end())
      return refuse(who + " is already a specialist on " + id(incident) + ".");
    specialists.push_back(command.user);
    text = who + " joins as specialist";
  }
  Outcome outcome = accept(next, request, "role", text);
  outcome.participants.push_back(command.user);
  outcome.reply.text = id(incident) + ": " + text + ".";
  if (command.role == Role::owner)
    outcome.reply.text += " One owner keeps the response coherent: triage, next checks, structure.";
  if (command.role == Role::comms)
    outcome.reply.text += " The comms lead keeps stakeholders updated without adding speculation.";
  return outcome;
}

}  // namespace incident_bot::workflows::detail
