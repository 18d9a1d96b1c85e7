#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

TEST_CASE("a new owner is a handover that names the previous holder") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), AssignRole{Role::owner, "bob"}, t0 + minutes);
  REQUIRE(outcome.changed);
  CHECK(outcome.incident->owner == "bob");
  CHECK(outcome.incident->detector == "alice");
  REQUIRE(outcome.timeline.size() == 1);
  CHECK(outcome.timeline[0].kind == "role");
  CHECK(outcome.timeline[0].text == "Handover: owner <@alice> → <@bob>");
  CHECK(outcome.participants == std::vector<UserId>{"bob"});
}

TEST_CASE("the first comms lead is an appointment, not a handover") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), AssignRole{Role::comms, "carol"}, t0);
  CHECK(outcome.incident->comms == "carol");
  CHECK(outcome.timeline[0].text == "<@carol> is now comms lead");
}

TEST_CASE("several specialists, each once") {
  workflows::Policy policy;
  Incident incident = *run(policy, declared(policy), AssignRole{Role::specialist, "dan"}, t0).incident;
  incident = *run(policy, incident, AssignRole{Role::specialist, "erin"}, t0).incident;
  CHECK(incident.specialists == std::vector<UserId>{"dan", "erin"});
  const auto again = run(policy, incident, AssignRole{Role::specialist, "dan"}, t0);
  CHECK_FALSE(again.changed);
  CHECK_THAT(again.reply.text, Catch::Contains("already a specialist"));
}

TEST_CASE("assigning the current holder changes nothing") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), AssignRole{Role::owner, "alice"}, t0);
  CHECK_FALSE(outcome.changed);
  CHECK_THAT(outcome.reply.text, Catch::Contains("already owner"));
}

TEST_CASE("role alone shows the holders without changing anything") {
  workflows::Policy policy;
  const auto outcome = run(policy, declared(policy), ListRoles{}, t0);
  CHECK_FALSE(outcome.changed);
  CHECK(outcome.reply.view == workflows::View::roles);
  CHECK(outcome.visibility == workflows::Visibility::ephemeral);
}
