// The lifecycle: triage -> investigating -> contained -> monitoring -> closed; triage -> declined.
#include "workflows/handle.hpp"
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"
#include "workflows/verbs.hpp"

namespace incident_bot::workflows::detail {

namespace {

std::string severity_and_layer(const Incident& incident) {
  std::string text = severity_name(incident.severity);
  if (!incident.layer.empty()) text += ", likely layer " + incident.layer;
  return text;
}

}  // namespace

Outcome declare(const Request& request, const commands::Declare& command) {
  const std::string layer = command.layer.value_or("");
  if (!layer.empty() && !is_known_layer(request.policy, layer))
    return refuse("Unknown layer '" + markup::escape(layer) + "'. Layers: " + layer_list(request.policy) + ".");

  Incident incident;
  incident.number = request.next_number;
  incident.title = command.title;
  incident.severity = command.severity.value_or(request.policy.default_severity);
  incident.layer = layer;
  incident.is_private = command.is_private;
  incident.symptom = command.symptom;
  incident.channel = channel_name(request.policy.channel_prefix, incident.number, incident.title);
  incident.declared_in = request.channel;
  incident.detector = request.actor;
  incident.owner = request.actor;
  incident.declared_at = request.now;
  incident.next_update_due = next_deadline(request, incident);

  const std::string title = markup::escape(incident.title);
  Outcome outcome = accept(incident, request, "declared",
                           "Declared \"" + title + "\" (" + severity_and_layer(incident) + ")" +
                               (incident.is_private ? ", private" : "") +
                               (incident.symptom.empty() ? "" : "; symptom: " + markup::escape(incident.symptom)));
  outcome.reply.text = id(incident) + " declared: " + title + " (" + severity_and_layer(incident) + "). Channel #" +
                       incident.channel + ". " + markup::mention(request.actor) +
                       " is detector and owner until someone takes it.\nNext steps: define the scope (`scope &lt;what is "
                       "affected&gt;`), name one owner (`role owner @user`), assign the first verifying check "
                       "(`update &lt;symptom&gt; | next: &lt;check&gt; @user`).";
  outcome.posts.push_back(Post{incident.channel, PostKind::card, Message{View::card, {}}});
  outcome.participants.push_back(request.actor);
  if (!incident.is_private && request.policy.announce_channel != incident.declared_in)
    outcome.posts.push_back(Post{request.policy.announce_channel, PostKind::announcement, Message{View::announcement, {}}});
  return outcome;
}

Outcome decline(const Request& request, const Incident& incident, const commands::Decline& command) {
  if (incident.state != State::triage)
    return refuse(id(incident) + " is " + std::string(to_string(incident.state)) +
                  "; only an incident still in triage can be declined.");
  Incident next = incident;
  next.state = State::declined;
  next.decline_reason = command.reason;
  next.next_update_due = 0;
  const std::string reason = markup::escape(command.reason);
  Outcome outcome = accept(next, request, "decline", "Declined as routine variance: " + reason);
  outcome.reply.text = id(incident) + " declined — routine variance, not an incident: " + reason;
  outcome.posts.push_back(Post{incident.channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  return outcome;
}

Outcome resolve(const Request& request, const Incident& incident, const commands::Resolve& command) {
  if (auto ended = refusal_when_ended(incident); !ended.empty()) return refuse(ended);
  if (incident.state == State::monitoring)
    return refuse(id(incident) + " is already resolved and monitoring since " + markup::shown_time(incident.resolved_at) +
                  "; `close` it once the monitoring window has passed.");
  Incident next = incident;
  next.state = State::monitoring;
  next.resolved_at = request.now;
  next.resolution = command.summary;
  next.next_update_due = 0;
  const std::string summary = command.summary.empty() ? "" : ": " + markup::escape(command.summary);
  Outcome outcome = accept(next, request, "resolve", "Resolved" + summary);
  outcome.reply.text = id(incident) + " resolved" + summary + ". Monitoring for " +
                       format_duration(request.policy.monitor_for) +
                       " before it can be closed — sustained healthy outcomes, not one good reading.";
  outcome.posts.push_back(Post{incident.channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  if (!incident.is_private)
    outcome.posts.push_back(Post{request.policy.announce_channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  return outcome;
}

Outcome close(const Request& request, const Incident& incident, const commands::Close& command) {
  if (incident.state == State::closed) return refuse(id(incident) + " is already closed.");
  if (incident.state == State::declined) return refuse(id(incident) + " was declined; there is nothing to close.");
  if (incident.state != State::monitoring)
    return refuse(id(incident) + " is " + std::string(to_string(incident.state)) +
                  "; resolve it first (`resolve &lt;summary&gt;`), then close after the monitoring window.");
  const Timestamp closable_at = later_by(incident.resolved_at, request.policy.monitor_for);
  if (!command.force && request.now < closable_at)
    return refuse("Too early to close " + id(incident) + ": resolved " +
                  format_duration(request.now - incident.resolved_at) + " ago, the monitoring window is " +
                  format_duration(request.policy.monitor_for) + " — " + format_duration(closable_at - request.now) +
                  " left. `close --force &lt;reason&gt;` records why it cannot wait.");
  Incident next = incident;
  next.state = State::closed;
  next.closed_at = request.now;
  next.close_reason = command.force ? command.reason : "";
  next.next_update_due = 0;
  const std::string forced = command.force ? " early (forced: " + markup::escape(command.reason) + ")" : "";
  Outcome outcome = accept(next, request, "close", "Closed" + forced);
  outcome.reply.text = id(incident) + " closed" + forced + ". Next: the postmortem — what happened, what it cost, " +
                       "why it was not detected sooner, and the system change that makes a repeat cheaper.";
  outcome.posts.push_back(Post{incident.channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  return outcome;
}

Outcome reopen(const Request& request, const Incident& incident) {
  if (incident.state != State::monitoring && incident.is_open())
    return refuse(id(incident) + " is " + std::string(to_string(incident.state)) + " — it is not resolved, so there is nothing to reopen.");
  Incident next = incident;
  const State previous = incident.state;
  next.state = previous == State::declined ? State::triage : State::investigating;
  next.resolved_at = 0;
  next.closed_at = 0;
  next.next_update_due = later_by(request.now, cadence_of(request.policy, next));  // the cadence restarts now
  Outcome outcome = accept(next, request, "reopen",
                           "Reopened from " + std::string(to_string(previous)) + " to " + std::string(to_string(next.state)));
  outcome.reply.text = id(incident) + " reopened: " + std::string(to_string(next.state)) + ". Next update due " +
                       markup::shown_time(next.next_update_due) + ".";
  outcome.posts.push_back(Post{incident.channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  return outcome;
}

}  // namespace incident_bot::workflows::detail
