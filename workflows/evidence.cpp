// Evidence-led updates and interventions: symptom, scope, layer, confidence, next check; changes and checks.
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"
#include "workflows/verbs.hpp"

#include <algorithm>

namespace incident_bot::workflows::detail {

namespace {

std::string unknown_layer(const Request& request, std::string_view layer) {
  return "Unknown layer '" + markup::escape(layer) + "'. Layers: " + layer_list(request.policy) + ".";
}

// The evidence an update should carry that is still unknown after it.
std::vector<std::string> missing_evidence(const Incident& incident) {
  std::vector<std::string> missing;
  if (incident.scope.empty()) missing.push_back("scope");
  if (incident.layer.empty()) missing.push_back("layer");
  if (incident.confidence == Confidence::unknown) missing.push_back("confidence");
  if (incident.next_check.empty()) missing.push_back("next check");
  return missing;
}

int changes_in_flight(const Incident& incident, const Request& request) {
  return static_cast<int>(std::count_if(incident.changes.begin(), incident.changes.end(), [&](const Change& change) {
    return !change.verified && change.at > request.now - request.policy.change_in_flight_for;
  }));
}

void announce(Outcome& outcome, const Incident& incident, const Request& request, Message message) {
  outcome.posts.push_back(Post{incident.channel, PostKind::update, message});
  if (!incident.is_private) outcome.posts.push_back(Post{request.policy.announce_channel, PostKind::update, message});
}

}  // namespace

Outcome update(const Request& request, const Incident& incident, const commands::Update& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  if (command.layer && !is_known_layer(request.policy, *command.layer)) return refuse(unknown_layer(request, *command.layer));

  Incident next = incident;
  next.symptom = command.symptom;
  if (command.scope) next.scope = *command.scope;
  if (command.layer) next.layer = *command.layer;
  if (command.confidence) next.confidence = *command.confidence;
  if (command.mitigation) next.mitigation = *command.mitigation;
  if (command.next_check) {
    next.next_check = *command.next_check;
    next.next_check_owner = command.next_check_owner.value_or("");
  }
  next.last_update_at = request.now;
  next.update_count += 1;
  if (next.state == State::triage) next.state = State::investigating;
  if (command.mitigation && next.state == State::investigating) next.state = State::contained;

  const Seconds cadence = cadence_of(request.policy, next);
  std::string promise_note;
  next.next_update_due = next_deadline(request, next);
  if (command.next_update_in && next.state != State::monitoring) {
    if (*command.next_update_in > cadence) {
      promise_note = " Next update promised in " + format_duration(*command.next_update_in) + " — capped at the " +
                     format_duration(cadence) + " cadence.";
    } else {
      next.next_update_due = later_by(request.now, *command.next_update_in);
    }
  }

  std::string timeline_text = markup::escape(command.symptom);
  if (next.state != incident.state)
    timeline_text += " (" + std::string(to_string(incident.state)) + " → " + std::string(to_string(next.state)) + ")";
  Outcome outcome = accept(next, request, "update", timeline_text);
  outcome.reply.text = id(incident) + " update posted.";
  if (const auto missing = missing_evidence(next); !missing.empty()) {
    std::string list;
    for (const auto& field : missing) list += (list.empty() ? "" : ", ") + field;
    outcome.reply.text += " Evidence missing: " + list + ".";
  }
  if (next.state == State::monitoring) outcome.reply.text += " It is resolved and monitoring; no update is due.";
  else outcome.reply.text += " Next update due " + markup::shown_time(next.next_update_due) + "." + promise_note;
  announce(outcome, next, request, Message{View::update, {}});
  return outcome;
}

Outcome set_scope(const Request& request, const Incident& incident, const commands::SetScope& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  Incident next = incident;
  next.scope = command.scope;
  Outcome outcome = accept(next, request, "scope", "Scope: " + markup::escape(command.scope));
  outcome.reply.text = id(incident) + " scope: " + markup::escape(command.scope);
  return outcome;
}

Outcome set_layer(const Request& request, const Incident& incident, const commands::SetLayer& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  if (!is_known_layer(request.policy, command.layer)) return refuse(unknown_layer(request, command.layer));
  Incident next = incident;
  next.layer = command.layer;
  Outcome outcome = accept(next, request, "layer", "Likely layer: " + command.layer);
  outcome.reply.text = id(incident) + " likely layer: " + command.layer;
  return outcome;
}

Outcome set_severity(const Request& request, const Incident& incident, const commands::SetSeverity& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  if (command.severity == incident.severity)
    return refuse(id(incident) + " is already " + severity_name(incident.severity) + ".");
  Incident next = incident;
  next.severity = command.severity;
  next.next_update_due = next_deadline(request, next);
  const std::string change = severity_name(incident.severity) + " → " + severity_name(next.severity);
  Outcome outcome = accept(next, request, "severity", "Severity " + change);
  outcome.reply.text = id(incident) + " severity " + change + ".";
  if (next.next_update_due)
    outcome.reply.text += " Cadence " + format_duration(cadence_of(request.policy, next)) +
                          ": next update due " + markup::shown_time(next.next_update_due) + ".";
  announce(outcome, next, request, Message{View::text, outcome.reply.text});
  return outcome;
}

Outcome record_change(const Request& request, const Incident& incident, const commands::RecordChange& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  Incident next = incident;
  const std::int64_t sequence = incident.changes.empty() ? 1 : incident.changes.back().sequence + 1;
  next.changes.push_back(Change{sequence, command.what, request.actor, request.now, false});
  const int in_flight = changes_in_flight(next, request);
  next.most_changes_in_flight = std::max(next.most_changes_in_flight, in_flight);
  Outcome outcome = accept(next, request, "change", "Change #" + std::to_string(sequence) + ": " + markup::escape(command.what));
  outcome.reply.text = id(incident) + " change #" + std::to_string(sequence) + " recorded.";
  if (in_flight > 1) {
    outcome.incident->parallel_change_warnings += 1;
    outcome.reply.text += " Warning: " + std::to_string(in_flight) +
                          " changes in flight — limit parallel interventions while the cause is isolated. "
                          "`verify &lt;finding&gt;` once a check confirms the effect.";
  }
  return outcome;
}

Outcome verify(const Request& request, const Incident& incident, const commands::Verify& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  Incident next = incident;
  int verified = 0;
  for (auto& change : next.changes) {
    if (!change.verified) ++verified;
    change.verified = true;
  }
  Outcome outcome = accept(next, request, "verify", "Verified: " + markup::escape(command.finding));
  outcome.reply.text = id(incident) + " check recorded: " + markup::escape(command.finding) + ".";
  if (verified > 0) outcome.reply.text += " " + std::to_string(verified) + " change(s) marked verified.";
  return outcome;
}

Outcome note(const Request& request, const Incident& incident, const commands::Note& command) {
  Outcome outcome = accept(incident, request, "note", markup::escape(command.text));
  outcome.reply.text = id(incident) + " note added.";
  outcome.visibility = Visibility::ephemeral;
  return outcome;
}

}  // namespace incident_bot::workflows::detail
