#pragma once
// The update cadence and its reminders: pure decisions; bot/scheduler.cpp carries them out.
//
// The update ladder, for each deadline D with no update: at D the comms lead (the owner when
// there is none) is reminded; at D + escalate_after[0] the owner; at D + the last escalate_after
// an "update overdue" notice goes to the announcement channel and to comms_fallback. Beside it:
// the comms-lead nudge, the close nudge after the monitoring window, the postmortem nudge.
#include "workflows/outcome.hpp"

#include <string>

namespace incident_bot::workflows {

// The cadence the incident follows: its own when set, else its severity's.
Seconds cadence_of(const Policy& policy, const Incident& incident);

// After a command changed the incident: counts an update as on time or late, and sets when to look next.
void after_command(const Policy& policy, const Incident* before, Incident& after, Timestamp now);

// When the scheduler should next look at the incident; 0 when nothing is ahead.
Timestamp next_wake(const Policy& policy, const Incident& incident);

// When the next update reminder is sent, snooze included; 0 when none is ahead for this deadline.
Timestamp next_update_reminder(const Policy& policy, const Incident& incident);

// What falls due by `now`: reminders as posts and timeline entries, the incident with its ladder
// advanced and its next wake. Per track only the highest step due is sent, so after downtime an
// incident gets one reminder, not one per missed interval. Posts of kind "direct" go to a user.
Outcome on_deadline(const Policy& policy, const Incident& incident, Timestamp now);

// For the card: own cadence, snooze, and adherence ("2 on time, 1 late (by 20m at most)"); may be "".
std::string cadence_summary(const Incident& incident, Timestamp now);

}  // namespace incident_bot::workflows
