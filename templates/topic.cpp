// The one-line live state a chat shows as the incident channel's topic.
#include "templates/render.hpp"
#include "workflows/markup.hpp"

namespace incident_bot::templates {

std::string topic(const Incident& incident) {
  std::string text = incident_id(incident.number) + " · " + severity_name(incident.severity) + " · " +
                     std::string(to_string(incident.state)) + " · owner " + markup::mention(incident.owner);
  if (!incident.comms.empty()) text += " · comms " + markup::mention(incident.comms);
  if (incident.next_update_due) text += " · next update " + markup::utc_time(incident.next_update_due);
  return text;
}

}  // namespace incident_bot::templates
