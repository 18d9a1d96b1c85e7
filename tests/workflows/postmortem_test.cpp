#include "fixtures.hpp"
#include "workflows/postmortem.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

namespace {

Incident closed_incident(const workflows::Policy& policy) {
  Incident incident = declared(policy);
  incident.state = State::closed;
  incident.resolved_at = t0 + hours;
  incident.closed_at = t0 + 2 * hours;
  return incident;
}

workflows::Outcome with_postmortem(const workflows::Policy& policy, const Incident& incident, const Postmortem& postmortem,
                                   const Command& command, Timestamp now = t0 + 3 * hours) {
  auto request = at(policy, now);
  request.postmortem = &postmortem;
  return workflows::handle(request, &incident, command);
}

Postmortem complete() {
  Postmortem postmortem;
  postmortem.sections = {{PostmortemField::what_happened, "theme release dropped the pixel"},
                         {PostmortemField::cost, "€4k"},
                         {PostmortemField::detection_gap, "no platform-vs-store alert"},
                         {PostmortemField::causal_layer, "measurement"},
                         {PostmortemField::evidence, "zero events from 10:02"},
                         {PostmortemField::system_change, "release checklist checks the pixel"}};
  return postmortem;
}

}  // namespace

TEST_CASE("postmortem set fills one section, records it, and says what is still needed") {
  workflows::Policy policy;
  const Incident incident = closed_incident(policy);
  const auto outcome = with_postmortem(policy, incident, {}, PostmortemSet{PostmortemField::cost, "€4k <wasted>"});
  REQUIRE(outcome.changed);
  REQUIRE(outcome.postmortem);
  CHECK(outcome.postmortem->section(PostmortemField::cost) == "€4k <wasted>");
  REQUIRE(outcome.timeline.size() == 1);
  CHECK(outcome.timeline[0].kind == "postmortem");
  CHECK(outcome.timeline[0].text == "Postmortem what it cost: €4k &lt;wasted&gt;");
  CHECK_THAT(outcome.reply.text, Catch::Contains("Still needed before `postmortem done`: what happened"));
  CHECK(outcome.reply.text.find("what it cost") == outcome.reply.text.find("what it cost recorded"));
}

TEST_CASE("the causal layer must be a configured layer") {
  workflows::Policy policy;
  const Incident incident = closed_incident(policy);
  CHECK_FALSE(with_postmortem(policy, incident, {}, PostmortemSet{PostmortemField::causal_layer, "creative"}).changed);
  const auto outcome = with_postmortem(policy, incident, {}, PostmortemSet{PostmortemField::causal_layer, "Measurement"});
  CHECK(outcome.postmortem->section(PostmortemField::causal_layer) == "measurement");
}

TEST_CASE("postmortem done is refused while a required section is empty, listing what is missing") {
  workflows::Policy policy;
  const Incident incident = closed_incident(policy);
  Postmortem partial = complete();
  partial.sections.erase(PostmortemField::detection_gap);
  partial.sections.erase(PostmortemField::system_change);
  const auto refused = with_postmortem(policy, incident, partial, PostmortemDone{});
  CHECK_FALSE(refused.changed);
  CHECK_THAT(refused.reply.text, Catch::Contains("missing detection gap (`detection-gap`), system change (`system-change`)"));
  CHECK(workflows::missing_for_done({}).size() == 6);
}

TEST_CASE("postmortem done needs a closed incident, then records when and posts the postmortem") {
  workflows::Policy policy;
  Incident open = declared(policy);
  CHECK_THAT(with_postmortem(policy, open, complete(), PostmortemDone{}).reply.text, Catch::Contains("close it before"));

  const Incident incident = closed_incident(policy);
  const auto done = with_postmortem(policy, incident, complete(), PostmortemDone{});
  REQUIRE(done.changed);
  CHECK(done.postmortem->done_at == t0 + 3 * hours);
  CHECK_THAT(done.reply.text, Catch::Contains("System change: release checklist checks the pixel"));
  REQUIRE(done.posts.size() == 2);
  CHECK(done.posts[0].message.view == workflows::View::postmortem);
  CHECK(done.posts[0].channel == incident.channel);
  CHECK_THAT(with_postmortem(policy, incident, *done.postmortem, PostmortemDone{}).reply.text, Catch::Contains("already done"));
}

TEST_CASE("action adds a numbered follow-up with its owner and due date") {
  workflows::Policy policy;
  const Incident incident = closed_incident(policy);
  Postmortem postmortem;
  postmortem.actions.push_back(FollowUp{1, "first", "dan"});
  const Timestamp due = 1'796'083'200;  // 2026-12-01
  const auto outcome = with_postmortem(policy, incident, postmortem, AddAction{"alert on pixel gaps", "sam", due});
  REQUIRE(outcome.postmortem);
  REQUIRE(outcome.postmortem->actions.size() == 2);
  const FollowUp& added = outcome.postmortem->actions.back();
  CHECK(added.sequence == 2);
  CHECK(added.owner == "sam");
  CHECK(added.due == due);
  CHECK(added.added_by == "alice");
  CHECK_THAT(outcome.reply.text, Catch::Contains("Follow-up #2: alert on pixel gaps — <@sam>, due 2026-12-01"));
  CHECK_THAT(with_postmortem(policy, incident, postmortem, AddAction{"late", "sam", t0 - 3 * 86400}).reply.text,
             Catch::Contains("is in the past"));
}

TEST_CASE("a declined report has no postmortem") {
  workflows::Policy policy;
  Incident incident = declared(policy);
  incident.state = State::declined;
  CHECK_FALSE(with_postmortem(policy, incident, {}, PostmortemShow{}).reply.view == workflows::View::postmortem);
  CHECK_FALSE(with_postmortem(policy, incident, {}, PostmortemSet{PostmortemField::cost, "x"}).changed);
  CHECK(with_postmortem(policy, declared(policy), {}, PostmortemShow{}).reply.view == workflows::View::postmortem);
}

TEST_CASE("declare names earlier incidents of the same family and their fix") {
  workflows::Policy policy;
  const std::vector<PastIncident> earlier{{3, "Meta pixel not firing on checkout", "measurement", "Tag Manager preview"}};
  auto request = at(policy, t0, "alice", 12);
  request.earlier = &earlier;
  const auto outcome = workflows::handle(request, nullptr, Declare{"Pixel stopped firing", 2, "measurement", false});
  CHECK_THAT(outcome.reply.text,
             Catch::Contains("Same family as INC-3 (Meta pixel not firing on checkout) — its fix was: Tag Manager preview"));
  CHECK_THAT(outcome.posts.at(0).message.text, Catch::Contains("Same family as INC-3"));
  const auto unrelated = workflows::handle(request, nullptr, Declare{"Spend stopped", 2, "delivery", false});
  CHECK(unrelated.reply.text.find("Same family") == std::string::npos);
}
