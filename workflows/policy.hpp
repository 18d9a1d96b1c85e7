#pragma once
// The configured rules the workflows apply; built by bot/ from the config file.
#include "commands/vocabulary.hpp"

#include <map>
#include <string>
#include <vector>

namespace incident_bot::workflows {

// A part of the service the status page reports on (status_page.components).
struct StatusComponent {
  std::string name;
  std::string description;
};

struct Policy {
  std::vector<std::string> layers{"economics", "measurement", "conversion", "delivery", "operations"};
  Seconds monitor_for = 30 * 60;
  Seconds change_in_flight_for = 30 * 60;
  Seconds default_cadence = 6 * 3600;
  std::map<int, Seconds> cadence_by_severity{{1, 3600}, {2, 2 * 3600}};
  std::string channel_prefix = "inc";
  std::string announce_channel = "incidents";
  int default_severity = 3;
  // Reminders: after an overdue deadline, the owner at escalate_after[0], an overdue notice at the last.
  std::vector<Seconds> escalate_after{15 * 60, 3600};
  Seconds comms_lead_after = 15 * 60;
  std::string comms_fallback;  // a user or group asked when nobody is comms lead; empty: nobody
  Seconds postmortem_every = 86400;
  // The public status page.
  bool status_page = true;
  std::vector<StatusComponent> components;
  Seconds publish_nudge_after = 30 * 60;  // after a definite impact with nothing published
  std::string status_page_url;            // where readers find the page, for links in chat; "" when unknown
};

Seconds cadence_for(const Policy& policy, int severity);
bool is_known_layer(const Policy& policy, std::string_view layer);
std::string layer_list(const Policy& policy);  // "economics, measurement, …"
// A component name as names are compared: lowercased, runs of spaces, hyphens and underscores as one hyphen.
std::string component_key(std::string_view name);
// The configured component a written name means: case, spaces, hyphens and underscores aside; null when none.
const StatusComponent* component_named(const Policy& policy, std::string_view name);
std::string component_list(const Policy& policy);  // "checkout, api"; "" when none are configured

}  // namespace incident_bot::workflows
