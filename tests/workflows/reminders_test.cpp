#include "fixtures.hpp"
#include "workflows/reminders.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;
using workflows::on_deadline;

namespace {

// A sev3 incident (6h cadence) declared at t0 by alice, with bob as comms lead from the start.
Incident with_comms(const workflows::Policy& policy) {
  return *run(policy, declared(policy), AssignRole{Role::comms, "bob"}, t0).incident;
}

// Runs the scheduler's decision at `now` and returns the incident it leaves.
Incident wake(const workflows::Policy& policy, const Incident& incident, Timestamp now, workflows::Outcome* seen = nullptr) {
  auto outcome = on_deadline(policy, incident, now);
  REQUIRE(outcome.incident);
  if (seen) *seen = outcome;
  return *outcome.incident;
}

std::vector<std::string> channels(const workflows::Outcome& outcome) {
  std::vector<std::string> names;
  for (const auto& post : outcome.posts) names.push_back(std::string(workflows::to_string(post.kind)) + ":" + post.channel);
  return names;
}

// Resolved, then closed at `when` (forced: the monitoring window has not passed).
Incident closed_when(const workflows::Policy& policy, const Incident& incident, Timestamp when) {
  const Incident resolved = *run(policy, incident, Resolve{"fixed"}, when).incident;
  return *run(policy, resolved, Close{true, "drill"}, when).incident;
}

}  // namespace

TEST_CASE("the ladder: comms lead at the deadline, owner after 15m, an overdue notice after 1h") {
  workflows::Policy policy;
  Incident incident = with_comms(policy);
  const Timestamp deadline = t0 + 6 * hours;
  CHECK(incident.next_update_due == deadline);
  CHECK(incident.reminders.due_at == deadline);

  workflows::Outcome seen;
  incident = wake(policy, incident, deadline - 1, &seen);
  CHECK(seen.posts.empty());
  CHECK(seen.timeline.empty());
  CHECK(incident.reminders.due_at == deadline);

  incident = wake(policy, incident, deadline, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:bob"});
  CHECK_THAT(seen.posts[0].message.text, Catch::StartsWith(":alarm_clock: <@bob> INC-1 needs a status update"));
  REQUIRE(seen.timeline.size() == 1);
  CHECK(seen.timeline[0].kind == "reminder");
  CHECK(seen.timeline[0].actor.empty());
  CHECK(incident.reminders.due_at == deadline + 15 * minutes);

  incident = wake(policy, incident, deadline + 15 * minutes, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:alice"});
  CHECK_THAT(seen.posts[0].message.text, Catch::Contains("<@alice> INC-1 status update overdue by 15m"));
  CHECK(seen.timeline[0].kind == "escalation");
  CHECK(incident.reminders.due_at == deadline + 1 * hours);

  incident = wake(policy, incident, deadline + 1 * hours, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:incidents"});
  CHECK_THAT(seen.posts[0].message.text, Catch::StartsWith(":warning: *INC-1 update overdue* by 1h"));
  CHECK(seen.timeline[0].text == "Update overdue by 1h: notice to #incidents");
  CHECK(incident.reminders.due_at == 0);  // the ladder is spent until an update

  incident = wake(policy, incident, deadline + 5 * hours, &seen);
  CHECK(seen.posts.empty());
}

TEST_CASE("an update ends the ladder, starts the next deadline and counts as late") {
  workflows::Policy policy;
  Incident incident = wake(policy, with_comms(policy), t0 + 6 * hours);
  const auto updated = run(policy, incident, Update{"orders still down"}, t0 + 6 * hours + 20 * minutes);
  const Incident& next = *updated.incident;
  CHECK(next.next_update_due == t0 + 12 * hours + 20 * minutes);
  CHECK(next.reminders.due_at == next.next_update_due);
  CHECK(next.reminders.updates_late == 1);
  CHECK(next.reminders.late_most == 20 * minutes);
  workflows::Outcome seen;
  wake(policy, next, next.next_update_due, &seen);
  REQUIRE(seen.timeline.size() == 1);
  CHECK(seen.timeline[0].kind == "reminder");  // the ladder starts from its first step again
}

TEST_CASE("after downtime only the highest step due is sent, once") {
  workflows::Policy policy;
  workflows::Outcome seen;
  Incident incident = wake(policy, with_comms(policy), t0 + 6 * hours + 3 * hours, &seen);
  REQUIRE(seen.timeline.size() == 1);
  CHECK(seen.timeline[0].text == "Update overdue by 3h: notice to #incidents");
  CHECK(incident.reminders.due_at == 0);
  wake(policy, incident, t0 + 6 * hours + 3 * hours, &seen);
  CHECK(seen.timeline.empty());
}

TEST_CASE("without a comms lead the owner gets the first reminder, and is asked to appoint one") {
  workflows::Policy policy;
  Incident incident = declared(policy);
  CHECK(incident.reminders.due_at == t0 + 15 * minutes);  // comms_lead_after comes first

  workflows::Outcome seen;
  incident = wake(policy, incident, t0 + 15 * minutes, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:alice"});
  // The nudge is its own document, never the update-due reminder: nothing is due 15 minutes in.
  CHECK(seen.posts[0].message == workflows::Message{workflows::View::comms_nudge, "<@alice>"});
  CHECK(seen.posts[1].message == seen.posts[0].message);
  CHECK(seen.timeline[0].kind == "comms-lead");
  CHECK(incident.reminders.due_at == t0 + 6 * hours);  // no fallback configured: nobody else to ask

  incident = wake(policy, incident, t0 + 6 * hours, &seen);
  CHECK_THAT(seen.posts[0].message.text, Catch::Contains("<@alice> INC-1 needs a status update"));
  CHECK_THAT(seen.posts[0].message.text, Catch::Contains("no comms lead, so the owner is asked"));
}

TEST_CASE("comms_fallback is asked at the next step, and receives the overdue notice") {
  workflows::Policy policy;
  policy.comms_fallback = "@growth-lead";
  Incident incident = wake(policy, declared(policy), t0 + 15 * minutes);
  CHECK(incident.reminders.due_at == t0 + 30 * minutes);
  workflows::Outcome seen;
  incident = wake(policy, incident, t0 + 30 * minutes, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:growth-lead"});
  CHECK(seen.posts[0].message == workflows::Message{workflows::View::comms_fallback, "<@growth-lead>"});
  CHECK(seen.timeline[0].text == "No comms lead yet: <@growth-lead> asked to appoint one");

  incident = wake(policy, incident, t0 + 7 * hours, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:incidents", "direct:growth-lead"});
  CHECK_THAT(seen.posts[0].message.text, Catch::EndsWith("cc <@growth-lead>"));
}

TEST_CASE("a comms lead appointed in time is never nudged for") {
  workflows::Policy policy;
  const Incident incident = with_comms(policy);
  workflows::Outcome seen;
  wake(policy, incident, t0 + 15 * minutes, &seen);
  CHECK(seen.posts.empty());
}

TEST_CASE("a private incident's overdue notice stays in its own channel") {
  workflows::Policy policy;
  Incident incident = with_comms(policy);
  incident.is_private = true;
  workflows::Outcome seen;
  wake(policy, incident, t0 + 8 * hours, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel});
}

TEST_CASE("reminders stop at resolve, close and decline") {
  workflows::Policy policy;
  const Incident open = with_comms(policy);
  const Incident resolved = *run(policy, open, Resolve{"fixed"}, t0 + 1 * hours).incident;
  CHECK(resolved.reminders.due_at == t0 + 1 * hours + 30 * minutes);  // only the close nudge is ahead
  workflows::Outcome seen;
  wake(policy, resolved, t0 + 1 * hours + 29 * minutes, &seen);
  CHECK(seen.posts.empty());

  const Incident declined = *run(policy, declared(policy), Decline{"routine"}, t0 + 1 * minutes).incident;
  CHECK(declined.reminders.due_at == 0);
  wake(policy, declined, t0 + 7 * hours, &seen);
  CHECK(seen.posts.empty());

  const Incident closed = closed_when(policy, open, t0 + 1 * hours);
  CHECK(closed.reminders.due_at == t0 + 1 * hours + policy.postmortem_every);  // only the postmortem is ahead
  wake(policy, closed, t0 + 7 * hours, &seen);
  CHECK(seen.posts.empty());
}

TEST_CASE("the owner is asked to close once the monitoring window has passed") {
  workflows::Policy policy;
  Incident incident = *run(policy, with_comms(policy), Resolve{"fixed"}, t0 + 1 * hours).incident;
  workflows::Outcome seen;
  incident = wake(policy, incident, t0 + 2 * hours, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:alice"});
  CHECK(seen.posts[0].message == workflows::Message{workflows::View::close_nudge, "<@alice>"});
  CHECK(seen.timeline[0].kind == "close-nudge");
  CHECK(incident.reminders.due_at == 0);

  // Reopened and resolved again: a new window, a new nudge.
  incident = *run(policy, incident, Reopen{}, t0 + 3 * hours).incident;
  incident = *run(policy, incident, Resolve{"fixed again"}, t0 + 4 * hours).incident;
  CHECK(incident.reminders.due_at == t0 + 4 * hours + 30 * minutes);
}

TEST_CASE("after close the owner is reminded daily of the postmortem until it is done") {
  workflows::Policy policy;
  const Timestamp closed_at = t0 + 1 * hours;
  Incident incident = closed_when(policy, with_comms(policy), closed_at);
  workflows::Outcome seen;
  incident = wake(policy, incident, closed_at + 24 * hours, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:" + incident.channel, "direct:alice"});
  CHECK(seen.posts[0].message == workflows::Message{workflows::View::postmortem_nudge, "<@alice>"});
  CHECK(seen.timeline[0].kind == "postmortem-nudge");
  CHECK(incident.reminders.due_at == closed_at + 48 * hours);

  // Three days down: one nudge, and the next a day after it.
  incident = wake(policy, incident, closed_at + 5 * 24 * hours, &seen);
  CHECK(seen.timeline.size() == 1);
  CHECK(incident.reminders.due_at == closed_at + 6 * 24 * hours);

  incident.reminders.postmortem_done_at = closed_at + 5 * 24 * hours + 1;
  incident = wake(policy, incident, closed_at + 6 * 24 * hours, &seen);
  CHECK(seen.posts.empty());
  CHECK(incident.reminders.due_at == 0);
}

TEST_CASE("escalate_after with more steps reminds the owner again before the notice") {
  workflows::Policy policy;
  policy.escalate_after = {10 * minutes, 20 * minutes, 40 * minutes};
  Incident incident = wake(policy, with_comms(policy), t0 + 6 * hours);
  workflows::Outcome seen;
  incident = wake(policy, incident, t0 + 6 * hours + 20 * minutes, &seen);
  CHECK_THAT(seen.posts[0].message.text, Catch::Contains("<@alice> INC-1 status update overdue by 20m"));
  incident = wake(policy, incident, t0 + 6 * hours + 40 * minutes, &seen);
  CHECK(channels(seen) == std::vector<std::string>{"reminder:incidents"});
}

TEST_CASE("cadence adherence counts updates on time and late, for the card") {
  workflows::Policy policy;
  Incident incident = with_comms(policy);
  incident = *run(policy, incident, Update{"first"}, t0 + 1 * hours).incident;
  incident = *run(policy, incident, Update{"second"}, t0 + 7 * hours + 30 * minutes).incident;
  incident = *run(policy, incident, Update{"third"}, t0 + 14 * hours).incident;
  CHECK(incident.reminders.updates_on_time == 1);
  CHECK(incident.reminders.updates_late == 2);
  CHECK(incident.reminders.late_most == 30 * minutes);
  CHECK(incident.reminders.late_total == 30 * minutes + 30 * minutes);
  CHECK(workflows::cadence_summary(incident, t0 + 14 * hours) == "updates 1 on time, 2 late (by 30m at most, 1h in all)");
  CHECK(workflows::cadence_summary(with_comms(policy), t0).empty());
}

namespace {

bool shows(const workflows::Outcome& outcome, workflows::View view) {
  for (const auto& post : outcome.posts)
    if (post.message.view == view) return true;
  return false;
}

// An update at t0 + 10m that makes the impact definite: a scope, medium confidence.
Incident with_definite_impact(const workflows::Policy& policy) {
  Update update;
  update.symptom = "card payments fail";
  update.scope = "EU web checkout";
  update.confidence = Confidence::medium;
  return *run(policy, with_comms(policy), update, t0 + 10 * minutes).incident;
}

}  // namespace

TEST_CASE("a definite impact with nothing published nudges the comms lead once, after nudge_after") {
  workflows::Policy policy;
  const Incident incident = with_definite_impact(policy);
  CHECK(incident.reminders.impact_definite_at == t0 + 10 * minutes);
  CHECK(workflows::next_wake(policy, incident) == t0 + 40 * minutes);
  workflows::Outcome early;
  wake(policy, incident, t0 + 39 * minutes, &early);
  CHECK_FALSE(shows(early, workflows::View::publish_nudge));

  workflows::Outcome nudged;
  const Incident after = wake(policy, incident, t0 + 40 * minutes, &nudged);
  CHECK(channels(nudged) == std::vector<std::string>{"reminder:" + incident.channel, "direct:bob"});
  CHECK(nudged.posts[0].message == workflows::Message{workflows::View::publish_nudge, "<@bob>"});
  CHECK(nudged.timeline.back().kind == "publish-nudge");
  CHECK(after.reminders.publish_nudged);
  workflows::Outcome later;
  wake(policy, after, t0 + 3 * hours, &later);
  CHECK_FALSE(shows(later, workflows::View::publish_nudge));
}

TEST_CASE("no publish nudge once something is published or held, or without a status page") {
  workflows::Policy policy;
  Incident published = with_definite_impact(policy);
  published.public_state.published = true;
  workflows::Outcome outcome;
  wake(policy, published, t0 + hours, &outcome);
  CHECK_FALSE(shows(outcome, workflows::View::publish_nudge));
  Incident held = with_definite_impact(policy);
  held.public_state.held = 1;
  wake(policy, held, t0 + hours, &outcome);
  CHECK_FALSE(shows(outcome, workflows::View::publish_nudge));
  policy.status_page = false;
  wake(policy, with_definite_impact(policy), t0 + hours, &outcome);
  CHECK_FALSE(shows(outcome, workflows::View::publish_nudge));
  // Low confidence is no definite impact.
  Update vague;
  vague.symptom = "maybe slower";
  vague.scope = "some users";
  vague.confidence = Confidence::low;
  CHECK(run(workflows::Policy{}, with_comms(workflows::Policy{}), vague, t0).incident->reminders.impact_definite_at == 0);
}

TEST_CASE("the close nudge also asks to publish resolved while the page says otherwise") {
  workflows::Policy policy;
  Incident incident = with_comms(policy);
  incident.public_state = PublicState{true, PublicStatus::identified, Impact::major, t0, 0};
  const Incident resolved = *run(policy, incident, Resolve{"fixed"}, t0 + hours).incident;
  workflows::Outcome outcome;
  wake(policy, resolved, t0 + 2 * hours, &outcome);
  // The close nudge's document tells what the page says; the comms lead, who publishes, gets it too.
  CHECK(channels(outcome) == std::vector<std::string>{"reminder:" + resolved.channel, "direct:alice", "direct:bob"});
  CHECK(outcome.posts[0].message == workflows::Message{workflows::View::close_nudge, "<@alice>"});
  CHECK(outcome.posts[2].message == workflows::Message{workflows::View::close_nudge, "<@bob>"});
  Incident told = incident;
  told.public_state.status = PublicStatus::resolved;
  wake(policy, *run(policy, told, Resolve{"fixed"}, t0 + hours).incident, t0 + 2 * hours, &outcome);
  CHECK(channels(outcome) == std::vector<std::string>{"reminder:" + resolved.channel, "direct:alice"});
}
