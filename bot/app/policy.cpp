#include "bot/app/policy.hpp"

namespace incident_bot::bot {

std::string status_page_url(const Config& config) {
  std::string url = config.status_page.public_url.empty() ? "http://" + config.http.listen : config.status_page.public_url;
  while (url.ends_with('/')) url.pop_back();
  return url;
}

templates::PageSettings page_settings_from(const Config& config) {
  templates::PageSettings settings;
  settings.title = config.status_page.title;
  for (const auto& component : config.status_page.components)
    settings.components.push_back(workflows::StatusComponent{component.name, component.description});
  settings.history = static_cast<Seconds>(config.status_page.history_days) * 86400;
  settings.base_url = status_page_url(config);
  return settings;
}

workflows::Policy policy_from(const Config& config) {
  workflows::Policy policy;
  policy.layers = config.layers;
  policy.monitor_for = config.close.monitor_for;
  policy.change_in_flight_for = config.changes.in_flight_for;
  policy.default_cadence = config.cadence.default_every;
  policy.cadence_by_severity = config.cadence.by_severity;
  policy.channel_prefix = config.slack.channel_prefix;
  policy.announce_channel = config.slack.announce_channel;
  policy.escalate_after = config.reminders.escalate_after;
  policy.comms_lead_after = config.reminders.comms_lead_after;
  policy.comms_fallback = config.reminders.comms_fallback;
  policy.postmortem_every = config.reminders.postmortem_every;
  policy.status_page = config.status_page.enabled;
  for (const auto& component : config.status_page.components)
    policy.components.push_back(workflows::StatusComponent{component.name, component.description});
  policy.publish_nudge_after = config.status_page.nudge_after;
  policy.status_page_url = status_page_url(config);
  return policy;
}

}  // namespace incident_bot::bot
