#pragma once
// The entry point of the incident rules: (incident, command, actor, now) -> Outcome.
#include "commands/command.hpp"
#include "workflows/outcome.hpp"

#include <string>
#include <string_view>

namespace incident_bot::workflows {

// Does the verb act on one incident (true) or on none (declare, list, help)?
bool needs_incident(const commands::Command& command);

// Does the verb read or change the incident's postmortem (so the caller loads it)?
bool reads_postmortem(const commands::Command& command);

// Does the verb read or change the incident's status page entry (so the caller loads it)?
bool reads_public_entry(const commands::Command& command);

// `incident` is the addressed incident, null for the verbs that need none.
Outcome handle(const Request& request, const Incident* incident, const commands::Command& command);

// "#inc-12-checkout-fails-on-mobile": prefix, number and a slug of the title, at most 80 chars.
std::string channel_name(std::string_view prefix, std::int64_t number, std::string_view title);

}  // namespace incident_bot::workflows
