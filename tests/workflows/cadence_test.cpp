#include "fixtures.hpp"
#include "workflows/reminders.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

namespace {

Incident after(const workflows::Policy& policy, const Incident& incident, const Command& command, Timestamp now) {
  const auto outcome = run(policy, incident, command, now);
  REQUIRE(outcome.incident);
  return *outcome.incident;
}

Update promising(Seconds next_update_in) {
  Update update{"orders down"};
  update.next_update_in = next_update_in;
  return update;
}

// Resolved, then closed at `when` (forced: the monitoring window has not passed).
Incident closed_when(const workflows::Policy& policy, const Incident& incident, Timestamp when) {
  const Incident resolved = *run(policy, incident, Resolve{"fixed"}, when).incident;
  return *run(policy, resolved, Close{true, "drill"}, when).incident;
}

}  // namespace

TEST_CASE("the deadline is the declaration plus the cadence of the severity, or the default") {
  workflows::Policy policy;
  CHECK(declared(policy, "a", 1).next_update_due == t0 + 1 * hours);
  CHECK(declared(policy, "a", 2).next_update_due == t0 + 2 * hours);
  CHECK(declared(policy, "a", 4).next_update_due == t0 + 6 * hours);
  policy.default_cadence = 5;  // seconds work everywhere, for a demo
  policy.cadence_by_severity.clear();
  CHECK(declared(policy).next_update_due == t0 + 5);
}

TEST_CASE("an update promise sets the deadline sooner; a later one is capped at the cadence") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  CHECK(after(policy, incident, promising(30 * minutes), t0 + 1 * hours).next_update_due == t0 + 1 * hours + 30 * minutes);
  const auto capped = run(policy, incident, promising(8 * hours), t0 + 1 * hours);
  CHECK(capped.incident->next_update_due == t0 + 7 * hours);
  CHECK_THAT(capped.reply.text, Catch::Contains("capped at the 6h cadence"));
  CHECK(capped.incident->reminders.due_at == t0 + 15 * minutes);  // the comms-lead nudge is still sooner
}

TEST_CASE("a severity change recomputes the deadline from the last update") {
  workflows::Policy policy;
  Incident incident = after(policy, declared(policy), Update{"orders down"}, t0 + 10 * minutes);
  incident = after(policy, incident, SetSeverity{1}, t0 + 20 * minutes);
  CHECK(incident.next_update_due == t0 + 10 * minutes + 1 * hours);
  incident = after(policy, incident, SetSeverity{4}, t0 + 30 * minutes);
  CHECK(incident.next_update_due == t0 + 10 * minutes + 6 * hours);
}

TEST_CASE("cadence sets the incident's own cadence, kept across severity changes, until default") {
  workflows::Policy policy;
  const auto set = run(policy, declared(policy), SetCadence{2 * hours}, t0 + 5 * minutes);
  REQUIRE(set.changed);
  Incident incident = *set.incident;
  CHECK(incident.reminders.own_cadence == 2 * hours);
  CHECK(incident.next_update_due == t0 + 2 * hours);
  CHECK(set.timeline[0].kind == "cadence");
  CHECK(set.timeline[0].text == "Cadence 2h (was 6h)");
  CHECK_THAT(set.reply.text, Catch::StartsWith("INC-1: Cadence 2h (was 6h). Next update due <!date^"));

  incident = after(policy, incident, SetSeverity{1}, t0 + 10 * minutes);
  CHECK(incident.next_update_due == t0 + 2 * hours);
  CHECK_FALSE(run(policy, incident, SetCadence{2 * hours}, t0 + 11 * minutes).changed);

  const auto reset = run(policy, incident, SetCadence{0}, t0 + 12 * minutes);
  CHECK(reset.timeline[0].text == "Cadence back to the sev1 default, 1h (was 2h)");
  CHECK(reset.incident->next_update_due == t0 + 1 * hours);
}

TEST_CASE("snooze pushes the pending reminder, never past the cadence, and is a timeline entry") {
  workflows::Policy policy;
  Incident incident = *run(policy, declared(policy), AssignRole{Role::comms, "bob"}, t0).incident;
  incident = *workflows::on_deadline(policy, incident, t0 + 6 * hours).incident;  // first reminder sent
  CHECK(incident.reminders.due_at == t0 + 6 * hours + 15 * minutes);

  const auto snoozed = run(policy, incident, Snooze{30 * minutes, "vendor call"}, t0 + 6 * hours + 5 * minutes, "bob");
  REQUIRE(snoozed.changed);
  CHECK(snoozed.incident->reminders.due_at == t0 + 6 * hours + 35 * minutes);
  CHECK(snoozed.timeline[0].kind == "snooze");
  CHECK(snoozed.timeline[0].actor == "bob");
  CHECK_THAT(snoozed.timeline[0].text, Catch::StartsWith("Reminders snoozed for 30m, until <!date^"));
  CHECK_THAT(snoozed.timeline[0].text, Catch::EndsWith(": vendor call"));

  workflows::Outcome seen = workflows::on_deadline(policy, *snoozed.incident, t0 + 6 * hours + 20 * minutes);
  CHECK(seen.posts.empty());
  seen = workflows::on_deadline(policy, *snoozed.incident, t0 + 6 * hours + 35 * minutes);
  REQUIRE(seen.timeline.size() == 1);
  CHECK(seen.timeline[0].kind == "escalation");

  const auto capped = run(policy, incident, Snooze{9 * hours, ""}, t0 + 6 * hours + 5 * minutes);
  CHECK(capped.incident->reminders.snoozed_until == t0 + 12 * hours + 5 * minutes);
  CHECK_THAT(capped.reply.text, Catch::Contains("capped at the 6h cadence"));

  // An update starts a new deadline; the old snooze no longer holds anything back.
  const Incident updated = *run(policy, *snoozed.incident, promising(5 * minutes), t0 + 6 * hours + 10 * minutes).incident;
  CHECK(updated.reminders.due_at == t0 + 6 * hours + 15 * minutes);
}

TEST_CASE("snooze is refused when there is nothing to push back") {
  workflows::Policy policy;
  const Incident incident = *run(policy, declared(policy), AssignRole{Role::comms, "bob"}, t0).incident;
  const auto early = run(policy, incident, Snooze{5 * minutes, ""}, t0 + 1 * hours);
  CHECK_FALSE(early.changed);
  CHECK_THAT(early.reply.text, Catch::Contains("after the snooze would end"));
  const Incident resolved = *run(policy, incident, Resolve{"fixed"}, t0 + 1 * hours).incident;
  CHECK_THAT(run(policy, resolved, Snooze{1 * hours, ""}, t0 + 2 * hours).reply.text, Catch::Contains("no update is due"));
  const Incident closed = closed_when(policy, incident, t0 + 1 * hours);
  CHECK_THAT(run(policy, closed, Snooze{1 * hours, ""}, t0 + 2 * hours).reply.text, Catch::Contains("is closed"));
}

TEST_CASE("a deadline that would pass the end of time is held there, never wrapped into the past", "[bounds]") {
  constexpr Seconds forever = std::numeric_limits<Seconds>::max();
  constexpr Timestamp end_of_time = std::numeric_limits<Timestamp>::max();
  for (const Seconds every : {Seconds{100000000000000} * 86400, forever - t0 + 1, forever}) {
    INFO(every);
    workflows::Policy policy;
    const Incident incident = declared(policy);
    const Incident slow = after(policy, incident, SetCadence{every}, t0 + minutes);
    CHECK(slow.next_update_due > t0);
    if (every > forever - t0) CHECK(slow.next_update_due == end_of_time);
    CHECK(slow.reminders.due_at > t0);
    const auto snoozed = run(policy, slow, Snooze{every, ""}, t0 + 2 * minutes);
    if (snoozed.incident) CHECK(snoozed.incident->reminders.snoozed_until > t0);
    CHECK(after(policy, slow, promising(every), t0 + 3 * minutes).next_update_due > t0);

    workflows::Policy endless;
    endless.default_cadence = every;
    endless.cadence_by_severity.clear();
    endless.comms_lead_after = every;
    endless.monitor_for = every;
    endless.escalate_after = {every};
    const Incident late = declared(endless);
    CHECK(late.next_update_due > t0);
    CHECK(late.reminders.due_at > t0);
    const Incident resolved = after(endless, late, Resolve{"fixed"}, t0 + hours);
    CHECK(resolved.reminders.due_at > t0);
    CHECK(run(endless, resolved, Close{}, t0 + 2 * hours).reply.text.find("Too early") != std::string::npos);
  }
}
