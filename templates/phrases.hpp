#pragma once
// Internal to templates/: the small mrkdwn phrases every document shares.
#include "workflows/incident.hpp"

#include <string>

namespace incident_bot::templates::detail {

inline const std::string not_yet_known = "_not yet known_";

std::string or_unknown(const std::string& value);        // escaped, or "not yet known"
std::string who(const UserId& user);                     // a mention, or "not yet known"
std::string due(Timestamp at, Timestamp now);            // "… (in 1h)", "… (overdue by 5m)", "none (not active)"
std::string specialists(const Incident& incident);       // "<@a>, <@b>" or "none"
std::string next_check(const Incident& incident);        // "check — <@owner>"

}  // namespace incident_bot::templates::detail
