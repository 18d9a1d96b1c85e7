// Pacing the status updates: snooze the pending reminder, set the incident's own cadence.
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"
#include "workflows/verbs.hpp"

#include <algorithm>

namespace incident_bot::workflows::detail {

Outcome snooze(const Request& request, const Incident& incident, const commands::Snooze& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  if (incident.state == State::monitoring)
    return refuse(id(incident) + " is resolved and monitoring: no update is due, so there is no reminder to snooze.");
  const Timestamp pending = next_update_reminder(request.policy, incident);
  if (pending == 0)
    return refuse(id(incident) + " has had every reminder for this update; post one with `update &lt;symptom&gt;`.");

  // Never past the cadence: a snooze is a short wait, not a way to stop updating.
  const Seconds cadence = cadence_of(request.policy, incident);
  const Seconds length = std::min(command.for_how_long, cadence);
  const Timestamp until = later_by(request.now, length);
  if (until <= pending)
    return refuse(id(incident) + "'s next reminder is " + markup::shown_time(pending) + ", after the snooze would end; nothing to push back.");

  Incident next = incident;
  next.reminders.snoozed_until = until;
  next.reminders.snoozed_deadline = incident.next_update_due;
  const std::string reason = command.reason.empty() ? "" : ": " + markup::escape(command.reason);
  Outcome outcome = accept(next, request, "snooze",
                           "Reminders snoozed for " + format_duration(length) + ", until " + markup::shown_time(until) + reason);
  outcome.reply.text = id(incident) + " reminders snoozed until " + markup::shown_time(until) + reason + ".";
  if (command.for_how_long > cadence)
    outcome.reply.text += " Snooze asked for " + format_duration(command.for_how_long) + " — capped at the " +
                          format_duration(cadence) + " cadence.";
  return outcome;
}

Outcome set_cadence(const Request& request, const Incident& incident, const commands::SetCadence& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  const Seconds before = cadence_of(request.policy, incident);
  if (command.every == incident.reminders.own_cadence)
    return refuse(id(incident) + " already follows " +
                  (command.every ? "its own cadence" : "the " + severity_name(incident.severity) + " cadence") + " of " +
                  format_duration(before) + ".");
  Incident next = incident;
  next.reminders.own_cadence = command.every;
  next.next_update_due = next_deadline(request, next);
  const Seconds after = cadence_of(request.policy, next);
  const std::string change = command.every ? "Cadence " + format_duration(after) + " (was " + format_duration(before) + ")"
                                           : "Cadence back to the " + severity_name(next.severity) + " default, " +
                                                 format_duration(after) + " (was " + format_duration(before) + ")";
  Outcome outcome = accept(next, request, "cadence", change);
  outcome.reply.text = id(incident) + ": " + change + ".";
  if (next.next_update_due) outcome.reply.text += " Next update due " + markup::shown_time(next.next_update_due) + ".";
  return outcome;
}

}  // namespace incident_bot::workflows::detail
