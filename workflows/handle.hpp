#pragma once
// The entry point of the incident rules: (incident, command, actor, now) -> Outcome.
#include "commands/command.hpp"
#include "workflows/outcome.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::workflows {

// Does the verb act on one incident (true) or on none (declare, list, help)?
bool needs_incident(const commands::Command& command);

// Does the verb read or change the incident's postmortem (so the caller loads it)?
bool reads_postmortem(const commands::Command& command);

// `incident` is the addressed incident, null for the verbs that need none.
Outcome handle(const Request& request, const Incident* incident, const commands::Command& command);

// Which incident a command addresses: the INC-N written, else the channel's incident, else
// the one open incident the actor holds a role in. Otherwise an error listing the open ones.
struct OpenIncident {
  std::int64_t number;
  std::string title;
};
struct Addressing {
  std::optional<std::int64_t> written;        // INC-N before the verb
  std::optional<std::int64_t> channel_incident;
  std::vector<std::int64_t> held_by_actor;    // open incidents the actor holds a role in
  std::vector<OpenIncident> open;             // every open incident, for the error
};
std::variant<std::int64_t, std::string> choose_incident(const Addressing& addressing);

// "#inc-12-checkout-fails-on-mobile": prefix, number and a slug of the title, at most 80 chars.
std::string channel_name(std::string_view prefix, std::int64_t number, std::string_view title);

}  // namespace incident_bot::workflows
