#pragma once
// The incident as the workflows see it: plain data, no I/O.
#include "commands/command.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace incident_bot {

using commands::UserId;

struct Change {
  std::int64_t sequence = 0;  // 1, 2, … within the incident
  std::string what;
  UserId actor;
  Timestamp at = 0;
  bool verified = false;
  bool operator==(const Change&) const = default;
};

// The update cadence and its reminders, kept by workflows/reminders.cpp, stored by store/schedule.cpp.
// Each ladder field names the deadline or resolve it was for, so a new one starts afresh by itself.
struct Reminders {
  Seconds own_cadence = 0;            // set with `cadence`; 0 follows the severity's cadence
  Timestamp due_at = 0;               // when the scheduler next looks at the incident; 0: never
  Timestamp ladder_deadline = 0;      // the update deadline the ladder below climbs from
  int ladder_step = 0;                // steps sent for it: 1 reminded, 2.. escalated (see reminders.hpp)
  Timestamp snoozed_until = 0;        // no update reminder before this, while the deadline is snoozed_deadline
  Timestamp snoozed_deadline = 0;
  int comms_step = 0;                 // 1: owner asked to appoint a comms lead, 2: comms_fallback asked
  Timestamp close_nudged_for = 0;     // the resolved_at the owner was asked to close for
  Timestamp postmortem_nudged_at = 0;
  Timestamp postmortem_done_at = 0;   // 0 until the postmortem is marked done
  Timestamp impact_definite_at = 0;   // the first update with a scope and medium or high confidence
  bool publish_nudged = false;        // asked once to publish that impact
  // Cadence adherence, for the postmortem.
  int updates_on_time = 0;
  int updates_late = 0;
  Seconds late_total = 0;
  Seconds late_most = 0;
  bool operator==(const Reminders&) const = default;
};

// What the public status page shows of the incident, kept beside it for the card and the nudges.
struct PublicState {
  bool published = false;  // released updates are on the page (not withdrawn)
  PublicStatus status = PublicStatus::investigating;  // of the latest released update
  Impact impact = Impact::none;
  Timestamp at = 0;        // when the latest released update went public
  int held = 0;            // updates waiting for the owner's release
  bool operator==(const PublicState&) const = default;
};

struct Incident {
  std::int64_t number = 0;  // INC-<number>
  std::string title;
  State state = State::triage;
  int severity = 3;
  bool is_private = false;
  std::string channel;      // the incident's own channel
  std::string declared_in;  // the channel the declaration was typed in
  std::string platform;     // the chat the incident lives in (console, slack, mattermost); set by the adapter

  UserId detector;
  UserId owner;
  UserId comms;
  std::vector<UserId> specialists;

  // The latest evidence: what the last updates established.
  std::string symptom;
  std::string scope;
  std::string layer;
  Confidence confidence = Confidence::unknown;
  std::string mitigation;
  std::string next_check;
  UserId next_check_owner;

  std::vector<Change> changes;
  int most_changes_in_flight = 0;  // the peak of parallel interventions, for the postmortem
  int parallel_change_warnings = 0;
  int update_count = 0;

  Timestamp declared_at = 0;
  Timestamp last_update_at = 0;  // 0 before the first update
  Timestamp resolved_at = 0;
  Timestamp closed_at = 0;
  Timestamp next_update_due = 0;

  std::string resolution;      // resolve summary
  std::string decline_reason;
  std::string close_reason;    // why close was forced

  Reminders reminders;
  PublicState public_state;

  bool is_open() const { return state != State::closed && state != State::declined; }
  bool operator==(const Incident&) const = default;
};

std::string incident_id(std::int64_t number);  // "INC-7"

struct TimelineEntry {
  Timestamp at = 0;
  UserId actor;      // empty for the bot itself
  std::string kind;  // declared, role, update, change, verify, note, scope, layer, severity, resolve, close, reopen, decline
  std::string text;  // mrkdwn, user text escaped
};

}  // namespace incident_bot
