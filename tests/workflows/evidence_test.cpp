#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

namespace {
Update full_update() {
  Update update;
  update.symptom = "conversion down 35% on mobile checkout";
  update.scope = "paid social traffic";
  update.layer = "conversion";
  update.confidence = Confidence::medium;
  update.next_check = "checkout error rate";
  update.next_check_owner = "bob";
  return update;
}
}  // namespace

TEST_CASE("the first update moves triage to investigating and restarts the cadence") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), full_update(), t0 + 20 * minutes);
  REQUIRE(outcome.changed);
  const Incident& incident = *outcome.incident;
  CHECK(incident.state == State::investigating);
  CHECK(incident.symptom == "conversion down 35% on mobile checkout");
  CHECK(incident.scope == "paid social traffic");
  CHECK(incident.layer == "conversion");
  CHECK(incident.confidence == Confidence::medium);
  CHECK(incident.next_check == "checkout error rate");
  CHECK(incident.next_check_owner == "bob");
  CHECK(incident.last_update_at == t0 + 20 * minutes);
  CHECK(incident.update_count == 1);
  CHECK(incident.next_update_due == t0 + 20 * minutes + 6 * hours);
  CHECK_THAT(outcome.reply.text, !Catch::Contains("Evidence missing"));
  CHECK(outcome.timeline[0].text == "conversion down 35% on mobile checkout (triage → investigating)");
  REQUIRE(outcome.posts.size() == 2);
  CHECK(outcome.posts[0].channel == incident.channel);
  CHECK(outcome.posts[0].message.view == workflows::View::update);
  CHECK(outcome.posts[1].channel == "incidents");
}

TEST_CASE("an update names the evidence still missing and still posts") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), Update{"orders look low"}, t0);
  REQUIRE(outcome.changed);
  CHECK_THAT(outcome.reply.text, Catch::Contains("Evidence missing: scope, layer, confidence, next check."));
  CHECK_FALSE(outcome.posts.empty());
}

TEST_CASE("evidence known from earlier updates is not asked again") {
  workflows::Policy policy;
  const Incident first = *run(policy, declared(policy), full_update(), t0).incident;
  const auto second = run(policy, first, Update{"still down"}, t0 + hours);
  CHECK_THAT(second.reply.text, !Catch::Contains("Evidence missing"));
  CHECK(second.incident->scope == "paid social traffic");
}

TEST_CASE("a mitigation moves investigating to contained") {
  workflows::Policy policy;
  Update update = full_update();
  update.mitigation = "paused paid social";
  const auto outcome = run(policy, declared(policy), update, t0);
  CHECK(outcome.incident->state == State::contained);
  CHECK(outcome.incident->mitigation == "paused paid social");
}

TEST_CASE("a promised next update sets the deadline sooner, never later than the cadence") {
  workflows::Policy policy;
  Update soon = full_update();
  soon.next_update_in = 2 * hours;
  CHECK(run(policy, declared(policy), soon, t0).incident->next_update_due == t0 + 2 * hours);

  Update late = full_update();
  late.next_update_in = 9 * hours;
  const auto capped = run(policy, declared(policy), late, t0);
  CHECK(capped.incident->next_update_due == t0 + 6 * hours);
  CHECK_THAT(capped.reply.text, Catch::Contains("capped at the 6h cadence"));
}

TEST_CASE("an update refuses a layer that is not configured") {
  workflows::Policy policy;
  Update update = full_update();
  update.layer = "vibes";
  const auto outcome = run(policy, declared(policy), update, t0);
  CHECK_FALSE(outcome.changed);
  CHECK_THAT(outcome.reply.text, Catch::Contains("Layers: economics"));
}

TEST_CASE("scope, layer and severity set their fields; severity recomputes the deadline") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  CHECK(run(policy, incident, SetScope{"EU stores"}, t0).incident->scope == "EU stores");
  CHECK(run(policy, incident, SetLayer{"measurement"}, t0).incident->layer == "measurement");
  CHECK_FALSE(run(policy, incident, SetLayer{"weather"}, t0).changed);

  const auto raised = run(policy, incident, SetSeverity{1}, t0 + 10 * minutes);
  CHECK(raised.incident->severity == 1);
  CHECK(raised.incident->next_update_due == t0 + hours);  // from the declaration, at the sev1 cadence
  CHECK(raised.timeline[0].text == "Severity sev3 → sev1");
  CHECK_FALSE(run(policy, incident, SetSeverity{3}, t0).changed);
}

TEST_CASE("a second change in flight warns about parallel interventions and is counted") {
  workflows::Policy policy;
  Incident incident = *run(policy, declared(policy), RecordChange{"paused Meta campaigns"}, t0).incident;
  CHECK(incident.changes.size() == 1);
  CHECK(incident.parallel_change_warnings == 0);

  const auto second = run(policy, incident, RecordChange{"rolled back theme"}, t0 + 10 * minutes);
  CHECK_THAT(second.reply.text, Catch::Contains("2 changes in flight — limit parallel interventions while the cause is isolated"));
  CHECK(second.incident->parallel_change_warnings == 1);
  CHECK(second.incident->most_changes_in_flight == 2);
  CHECK(second.incident->changes.back().sequence == 2);
}

TEST_CASE("a change older than the in-flight window no longer counts") {
  workflows::Policy policy;
  const Incident incident = *run(policy, declared(policy), RecordChange{"paused Meta"}, t0).incident;
  const auto later = run(policy, incident, RecordChange{"new creative"}, t0 + 31 * minutes);
  CHECK_THAT(later.reply.text, !Catch::Contains("in flight"));
  CHECK(later.incident->parallel_change_warnings == 0);
}

TEST_CASE("verify marks the changes before it verified, so the next change does not warn") {
  workflows::Policy policy;
  Incident incident = *run(policy, declared(policy), RecordChange{"paused Meta"}, t0).incident;
  const auto verified = run(policy, incident, Verify{"store orders stable, only reporting dropped"}, t0 + minutes);
  CHECK(verified.incident->changes[0].verified);
  CHECK_THAT(verified.reply.text, Catch::Contains("1 change(s) marked verified"));
  const auto next = run(policy, *verified.incident, RecordChange{"fixed pixel"}, t0 + 2 * minutes);
  CHECK_THAT(next.reply.text, !Catch::Contains("in flight"));
}

TEST_CASE("a note is a timeline entry and changes no field") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  const auto outcome = run(policy, incident, Note{"vendor status page is green"}, t0);
  REQUIRE(outcome.changed);
  CHECK(outcome.timeline[0].kind == "note");
  CHECK(outcome.incident->symptom == incident.symptom);
}

TEST_CASE("user text in timeline entries is escaped so it cannot ping a channel") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), Note{"<!channel> free pizza & more"}, t0);
  CHECK(outcome.timeline[0].text == "&lt;!channel&gt; free pizza &amp; more");
}
