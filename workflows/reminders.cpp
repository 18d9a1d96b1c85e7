#include "workflows/reminders.hpp"

#include "workflows/markup.hpp"

#include <algorithm>

namespace incident_bot::workflows {

namespace {

bool awaits_update(const Incident& incident) {
  return incident.is_open() && incident.state != State::monitoring && incident.next_update_due > 0;
}

bool needs_comms_lead(const Incident& incident) {
  return incident.is_open() && incident.state != State::monitoring && incident.comms.empty();
}

bool awaits_postmortem(const Incident& incident) {
  return incident.state == State::closed && incident.reminders.postmortem_done_at == 0;
}

std::size_t ladder_steps(const Policy& policy) { return 1 + policy.escalate_after.size(); }

Timestamp step_time(const Policy& policy, Timestamp deadline, std::size_t step) {
  return later_by(deadline, step == 0 ? 0 : policy.escalate_after[step - 1]);
}

// Steps already sent for the current deadline; a new deadline starts at 0.
std::size_t steps_sent(const Incident& incident) {
  const auto& reminders = incident.reminders;
  return reminders.ladder_deadline == incident.next_update_due ? static_cast<std::size_t>(reminders.ladder_step) : 0;
}

Timestamp snoozed_until(const Incident& incident) {
  const auto& reminders = incident.reminders;
  return reminders.snoozed_deadline == incident.next_update_due ? reminders.snoozed_until : 0;
}

Timestamp comms_owner_time(const Policy& policy, const Incident& incident) {
  return later_by(incident.declared_at, policy.comms_lead_after);
}

Timestamp comms_fallback_time(const Policy& policy, const Incident& incident) {
  const Seconds next_step = policy.escalate_after.empty() ? 0 : policy.escalate_after.front();
  return later_by(comms_owner_time(policy, incident), next_step);
}

// A definite impact (a scope, medium or high confidence) with nothing on the status page, not yet nudged.
bool awaits_publish(const Policy& policy, const Incident& incident) {
  return policy.status_page && incident.is_open() && incident.state != State::monitoring &&
         incident.reminders.impact_definite_at > 0 && !incident.reminders.publish_nudged &&
         !incident.public_state.published && incident.public_state.held == 0;
}

Timestamp publish_nudge_time(const Policy& policy, const Incident& incident) {
  return later_by(incident.reminders.impact_definite_at, policy.publish_nudge_after);
}

Timestamp next_postmortem_nudge(const Policy& policy, const Incident& incident) {
  return later_by(std::max(incident.closed_at, incident.reminders.postmortem_nudged_at), policy.postmortem_every);
}

// comms_fallback as written in the config: a Slack escape such as <!subteam^S1> as is, else a user.
std::string fallback_mention(const Policy& policy) {
  const std::string& fallback = policy.comms_fallback;
  if (fallback.starts_with("<")) return fallback;
  return markup::mention(fallback.starts_with("@") ? fallback.substr(1) : fallback);
}

// A fallback that is one user can be sent a direct message; a group cannot.
std::string fallback_user(const Policy& policy) {
  const std::string& fallback = policy.comms_fallback;
  if (fallback.empty() || fallback.starts_with("<")) return {};
  return fallback.starts_with("@") ? fallback.substr(1) : fallback;
}

struct Sender {
  const Incident& incident;
  Timestamp now;
  Outcome& outcome;

  void record(std::string kind, std::string text) {
    outcome.timeline.push_back(TimelineEntry{now, {}, std::move(kind), std::move(text)});
  }
  void post(const std::string& channel, std::string text) {
    outcome.posts.push_back(Post{channel, PostKind::reminder, Message{View::text, std::move(text)}});
  }
  // In the incident's channel with the reminder document (what an update should say), and by
  // direct message where the platform has them.
  void tell(const UserId& user, const std::string& text) {
    outcome.posts.push_back(Post{incident.channel, PostKind::reminder, Message{View::reminder, text}});
    if (!user.empty()) outcome.posts.push_back(Post{user, PostKind::direct, Message{View::text, text}});
  }
  // A nudge in its own document, naming who is asked (`asked`), in the incident's channel and to `user` directly.
  void nudge(View view, const std::string& asked, const UserId& user) {
    const Message message{view, asked};
    outcome.posts.push_back(Post{incident.channel, PostKind::reminder, message});
    if (!user.empty()) outcome.posts.push_back(Post{user, PostKind::direct, message});
  }
};

std::string id(const Incident& incident) { return incident_id(incident.number); }

std::string update_usage() {
  return " Post one with `update &lt;symptom&gt; | next: &lt;check&gt; | next update: &lt;duration&gt;`, or `snooze "
         "&lt;duration&gt; [reason]`.";
}

void send_ladder_step(const Policy& policy, const Incident& incident, std::size_t step, Sender& send) {
  const Timestamp deadline = incident.next_update_due;
  const std::string overdue = format_duration(send.now - deadline);
  if (step == 0) {
    const UserId& who = incident.comms.empty() ? incident.owner : incident.comms;
    send.tell(who, ":alarm_clock: " + markup::mention(who) + " " + id(incident) + " needs a status update, due " +
                       markup::shown_time(deadline) + " (cadence " + format_duration(cadence_of(policy, incident)) +
                       ")." + (incident.comms.empty() ? " There is no comms lead, so the owner is asked." : "") +
                       update_usage());
    send.record("reminder", "Update reminder to " + markup::mention(who) + ": due " + markup::shown_time(deadline));
  } else if (step + 1 < ladder_steps(policy)) {
    send.tell(incident.owner, ":alarm_clock: " + markup::mention(incident.owner) + " " + id(incident) +
                                  " status update overdue by " + overdue + " (due " + markup::shown_time(deadline) +
                                  ")." + update_usage());
    send.record("escalation", "Update overdue by " + overdue + ": owner " + markup::mention(incident.owner) + " reminded");
  } else {
    const std::string channel = incident.is_private ? incident.channel : policy.announce_channel;
    const std::string cc = policy.comms_fallback.empty() ? "" : " cc " + fallback_mention(policy);
    const std::string text = ":warning: *" + id(incident) + " update overdue* by " + overdue + " — " +
                             markup::escape(incident.title) + ". Due " + markup::shown_time(deadline) + "; owner " +
                             markup::mention(incident.owner) + ", comms lead " + markup::mention(incident.comms) + "." + cc;
    send.post(channel, text);
    if (const auto user = fallback_user(policy); !user.empty())
      send.outcome.posts.push_back(Post{user, PostKind::direct, Message{View::text, text}});
    send.record("escalation", "Update overdue by " + overdue + ": notice to #" + channel + cc);
  }
}

void climb_ladder(const Policy& policy, Incident& next, Sender& send) {
  if (!awaits_update(next) || send.now < snoozed_until(next)) return;
  const std::size_t sent = steps_sent(next);
  std::size_t due = sent;
  while (due < ladder_steps(policy) && step_time(policy, next.next_update_due, due) <= send.now) ++due;
  if (due == sent) return;
  send_ladder_step(policy, next, due - 1, send);  // only the highest step due: no burst after downtime
  next.reminders.ladder_deadline = next.next_update_due;
  next.reminders.ladder_step = static_cast<int>(due);
}

void ask_for_comms_lead(const Policy& policy, Incident& next, Sender& send) {
  if (!needs_comms_lead(next)) return;
  auto& step = next.reminders.comms_step;
  const std::string fallback = policy.comms_fallback;
  if (step < 2 && !fallback.empty() && send.now >= comms_fallback_time(policy, next)) {
    send.nudge(View::comms_fallback, fallback_mention(policy), fallback_user(policy));
    send.record("comms-lead", "No comms lead yet: " + fallback_mention(policy) + " asked to appoint one");
    step = 2;
  } else if (step < 1 && send.now >= comms_owner_time(policy, next)) {
    send.nudge(View::comms_nudge, markup::mention(next.owner), next.owner);
    send.record("comms-lead", "No comms lead yet: owner " + markup::mention(next.owner) + " asked to appoint one");
    step = 1;
  }
}

void ask_to_close(const Policy& policy, Incident& next, Sender& send) {
  if (next.state != State::monitoring || next.reminders.close_nudged_for == next.resolved_at) return;
  if (send.now < later_by(next.resolved_at, policy.monitor_for)) return;
  send.nudge(View::close_nudge, markup::mention(next.owner), next.owner);
  // The nudge to tell users it is over comes with the close nudge (its document says what the page says):
  // resolving publishes nothing by itself, and the comms lead is the one who publishes.
  const PublicState& page = next.public_state;
  if (policy.status_page && page.published && page.status != PublicStatus::resolved && !next.comms.empty() &&
      next.comms != next.owner)
    send.outcome.posts.push_back(Post{next.comms, PostKind::direct, Message{View::close_nudge, markup::mention(next.comms)}});
  send.record("close-nudge", "Owner " + markup::mention(next.owner) + " asked to close");
  next.reminders.close_nudged_for = next.resolved_at;
}

void ask_to_publish(const Policy& policy, Incident& next, Sender& send) {
  if (!awaits_publish(policy, next) || send.now < publish_nudge_time(policy, next)) return;
  const UserId& who = next.comms.empty() ? next.owner : next.comms;
  send.nudge(View::publish_nudge, markup::mention(who), who);
  send.record("publish-nudge", markup::mention(who) + " asked to publish to the status page");
  next.reminders.publish_nudged = true;
}

void ask_for_postmortem(const Policy& policy, Incident& next, Sender& send) {
  if (!awaits_postmortem(next) || send.now < next_postmortem_nudge(policy, next)) return;
  send.nudge(View::postmortem_nudge, markup::mention(next.owner), next.owner);
  send.record("postmortem-nudge", "Owner " + markup::mention(next.owner) + " reminded of the postmortem");
  next.reminders.postmortem_nudged_at = send.now;
}

}  // namespace

Seconds cadence_of(const Policy& policy, const Incident& incident) {
  return incident.reminders.own_cadence > 0 ? incident.reminders.own_cadence : cadence_for(policy, incident.severity);
}

void after_command(const Policy& policy, const Incident* before, Incident& after, Timestamp now) {
  auto& reminders = after.reminders;
  const bool updated = before && after.update_count > before->update_count;
  if (updated && before->next_update_due > 0 && before->state != State::monitoring) {
    if (now <= before->next_update_due) {
      reminders.updates_on_time += 1;
    } else {
      const Seconds late = now - before->next_update_due;
      reminders.updates_late += 1;
      reminders.late_total += late;
      reminders.late_most = std::max(reminders.late_most, late);
    }
  }
  // The impact is definite once an update says who is affected with medium or high confidence.
  const bool definite = !after.scope.empty() &&
                        (after.confidence == Confidence::medium || after.confidence == Confidence::high);
  if (updated && definite && reminders.impact_definite_at == 0) reminders.impact_definite_at = now;
  reminders.due_at = next_wake(policy, after);
}

Timestamp next_update_reminder(const Policy& policy, const Incident& incident) {
  if (!awaits_update(incident)) return 0;
  const std::size_t sent = steps_sent(incident);
  if (sent >= ladder_steps(policy)) return 0;
  return std::max(step_time(policy, incident.next_update_due, sent), snoozed_until(incident));
}

Timestamp next_wake(const Policy& policy, const Incident& incident) {
  Timestamp wake = 0;
  const auto consider = [&](Timestamp at) {
    if (at > 0 && (wake == 0 || at < wake)) wake = at;
  };
  consider(next_update_reminder(policy, incident));
  if (needs_comms_lead(incident)) {
    const int step = incident.reminders.comms_step;
    if (step < 1) consider(comms_owner_time(policy, incident));
    else if (step < 2 && !policy.comms_fallback.empty()) consider(comms_fallback_time(policy, incident));
  }
  if (incident.state == State::monitoring && incident.reminders.close_nudged_for != incident.resolved_at)
    consider(later_by(incident.resolved_at, policy.monitor_for));
  if (awaits_postmortem(incident)) consider(next_postmortem_nudge(policy, incident));
  if (awaits_publish(policy, incident)) consider(publish_nudge_time(policy, incident));
  return wake;
}

Outcome on_deadline(const Policy& policy, const Incident& incident, Timestamp now) {
  Outcome outcome;
  Incident next = incident;
  Sender send{next, now, outcome};
  climb_ladder(policy, next, send);
  ask_for_comms_lead(policy, next, send);
  ask_to_close(policy, next, send);
  ask_to_publish(policy, next, send);
  ask_for_postmortem(policy, next, send);
  next.reminders.due_at = next_wake(policy, next);
  // Saved even when nothing was sent, so a wake that found nothing due moves on.
  outcome.changed = true;
  outcome.incident = std::move(next);
  return outcome;
}

std::string cadence_summary(const Incident& incident, Timestamp now) {
  const auto& reminders = incident.reminders;
  std::string text;
  const auto add = [&](const std::string& part) { text += (text.empty() ? "" : " · ") + part; };
  if (reminders.own_cadence > 0) add("own cadence " + format_duration(reminders.own_cadence));
  if (const std::size_t sent = steps_sent(incident); sent > 0 && awaits_update(incident))
    add("update reminders sent: " + std::to_string(sent));
  if (const Timestamp until = snoozed_until(incident); until > now && awaits_update(incident))
    add("reminders snoozed until " + markup::shown_time(until));
  if (reminders.updates_on_time + reminders.updates_late > 0) {
    std::string adherence = "updates " + std::to_string(reminders.updates_on_time) + " on time, " +
                            std::to_string(reminders.updates_late) + " late";
    if (reminders.updates_late > 0)
      adherence += " (by " + format_duration(reminders.late_most) + " at most, " + format_duration(reminders.late_total) +
                   " in all)";
    add(adherence);
  }
  return text;
}

}  // namespace incident_bot::workflows
