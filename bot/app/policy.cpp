#include "bot/app/policy.hpp"

namespace incident_bot::bot {

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
  return policy;
}

}  // namespace incident_bot::bot
