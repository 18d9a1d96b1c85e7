#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

TEST_CASE("declare opens INC-N in triage with the declarer as detector and owner") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0, "alice", 7), nullptr,
                                         Declare{"Checkout fails on mobile", 2, "conversion", false});
  REQUIRE(outcome.changed);
  const Incident& incident = *outcome.incident;
  CHECK(incident.number == 7);
  CHECK(incident.state == State::triage);
  CHECK(incident.severity == 2);
  CHECK(incident.layer == "conversion");
  CHECK(incident.detector == "alice");
  CHECK(incident.owner == "alice");
  CHECK(incident.channel == "inc-7-checkout-fails-on-mobile");
  CHECK(incident.declared_at == t0);
  CHECK(outcome.participants == std::vector<UserId>{"alice"});
  CHECK(incident.next_update_due == t0 + 2 * hours);  // sev2 cadence
  CHECK(outcome.visibility == workflows::Visibility::in_channel);
  CHECK_THAT(outcome.reply.text, Catch::Contains("INC-7 declared"));
  CHECK_THAT(outcome.reply.text, Catch::Contains("define the scope"));
  CHECK_THAT(outcome.reply.text, Catch::Contains("name one owner"));
  CHECK_THAT(outcome.reply.text, Catch::Contains("first verifying check"));
  REQUIRE(outcome.timeline.size() == 1);
  CHECK(outcome.timeline[0].kind == "declared");
  REQUIRE(outcome.posts.size() == 2);
  CHECK(outcome.posts[0].channel == incident.channel);
  CHECK(outcome.posts[0].message.view == workflows::View::card);
  CHECK(outcome.posts[1].channel == "incidents");
  CHECK(outcome.posts[1].message.view == workflows::View::announcement);
}

TEST_CASE("declare without a severity takes the default and the default cadence") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0), nullptr, Declare{"Spend stopped", std::nullopt, std::nullopt, false});
  CHECK(outcome.incident->severity == 3);
  CHECK(outcome.incident->next_update_due == t0 + 6 * hours);
}

TEST_CASE("a private declaration is not announced") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0), nullptr, Declare{"Credential leak", 1, std::nullopt, true});
  CHECK(outcome.incident->is_private);
  REQUIRE(outcome.posts.size() == 1);
  CHECK(outcome.posts[0].message.view == workflows::View::card);
}

TEST_CASE("declare refuses a layer that is not configured and lists the layers") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0), nullptr, Declare{"x", 3, "astrology", false});
  CHECK_FALSE(outcome.changed);
  CHECK_THAT(outcome.reply.text, Catch::Contains("Unknown layer 'astrology'"));
  CHECK_THAT(outcome.reply.text, Catch::Contains("economics, measurement, conversion, delivery, operations"));
}

TEST_CASE("decline ends triage as routine variance, and only triage") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  const auto declined = run(policy, incident, Decline{"normal weekend dip"}, t0 + 60);
  REQUIRE(declined.changed);
  CHECK(declined.incident->state == State::declined);
  CHECK(declined.incident->decline_reason == "normal weekend dip");
  CHECK(declined.incident->next_update_due == 0);

  const auto investigating = run(policy, incident, Update{"orders down"}, t0 + 60);
  const auto refused = run(policy, *investigating.incident, Decline{"nah"}, t0 + 120);
  CHECK_FALSE(refused.changed);
  CHECK_THAT(refused.reply.text, Catch::Contains("only an incident still in triage can be declined"));
}

TEST_CASE("resolve moves to monitoring and stops the update deadline") {
  workflows::Policy policy;
  const auto resolved = run(policy, declared(policy), Resolve{"rolled back the theme"}, t0 + 10 * minutes);
  REQUIRE(resolved.changed);
  CHECK(resolved.incident->state == State::monitoring);
  CHECK(resolved.incident->resolved_at == t0 + 10 * minutes);
  CHECK(resolved.incident->resolution == "rolled back the theme");
  CHECK(resolved.incident->next_update_due == 0);
  CHECK_THAT(resolved.reply.text, Catch::Contains("Monitoring for 30m"));

  const auto again = run(policy, *resolved.incident, Resolve{}, t0 + 11 * minutes);
  CHECK_FALSE(again.changed);
  CHECK_THAT(again.reply.text, Catch::Contains("already resolved"));
}

TEST_CASE("close is refused until the monitoring window has passed, and says how long is left") {
  workflows::Policy policy;
  const Incident resolved = *run(policy, declared(policy), Resolve{"fixed"}, t0).incident;

  const auto early = run(policy, resolved, Close{}, t0 + 10 * minutes);
  CHECK_FALSE(early.changed);
  CHECK(early.refused);
  CHECK_THAT(early.reply.text, Catch::Contains("Too early to close INC-1"));
  CHECK_THAT(early.reply.text, Catch::Contains("20m left"));
  CHECK_THAT(early.reply.text, Catch::Contains("--force"));

  const auto one_second_early = run(policy, resolved, Close{}, t0 + 30 * minutes - 1);
  CHECK_FALSE(one_second_early.changed);

  const auto on_time = run(policy, resolved, Close{}, t0 + 30 * minutes);
  REQUIRE(on_time.changed);
  CHECK_FALSE(on_time.refused);
  CHECK(on_time.incident->state == State::closed);
  CHECK(on_time.incident->closed_at == t0 + 30 * minutes);
  CHECK(on_time.incident->close_reason.empty());
  CHECK_THAT(on_time.reply.text, Catch::Contains("postmortem"));
}

TEST_CASE("close --force records why it could not wait") {
  workflows::Policy policy;
  const Incident resolved = *run(policy, declared(policy), Resolve{"fixed"}, t0).incident;
  const auto forced = run(policy, resolved, Close{true, "duplicate of INC-0"}, t0 + minutes);
  REQUIRE(forced.changed);
  CHECK(forced.incident->state == State::closed);
  CHECK(forced.incident->close_reason == "duplicate of INC-0");
  CHECK_THAT(forced.timeline.at(0).text, Catch::Contains("forced: duplicate of INC-0"));
}

TEST_CASE("close before resolve is refused with the way forward") {
  workflows::Policy policy;
  const auto refused = run(policy, declared(policy), Close{true, "whatever"}, t0 + hours);
  CHECK_FALSE(refused.changed);
  CHECK_THAT(refused.reply.text, Catch::Contains("resolve it first"));
}

TEST_CASE("a closed incident refuses changes until reopened; reopen goes back to investigating") {
  workflows::Policy policy;
  const Incident resolved = *run(policy, declared(policy), Resolve{"fixed"}, t0).incident;
  const Incident closed = *run(policy, resolved, Close{}, t0 + hours).incident;

  for (const Command& command : std::vector<Command>{Update{"x"}, RecordChange{"x"}, AssignRole{Role::owner, "bob"},
                                                     SetScope{"x"}, Resolve{}, Verify{"x"}}) {
    const auto refused = run(policy, closed, command, t0 + 2 * hours);
    CHECK_FALSE(refused.changed);
    CHECK(refused.reply.text == "INC-1 is closed; reopen it first.");
  }
  CHECK_FALSE(run(policy, closed, Close{}, t0 + 2 * hours).changed);

  const auto reopened = run(policy, closed, Reopen{}, t0 + 2 * hours);
  REQUIRE(reopened.changed);
  CHECK(reopened.incident->state == State::investigating);
  CHECK(reopened.incident->closed_at == 0);
  CHECK(reopened.incident->resolved_at == 0);
  CHECK(reopened.incident->next_update_due == t0 + 2 * hours + 6 * hours);
}

TEST_CASE("reopen from monitoring, from declined, and refused while still open") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  const Incident monitoring = *run(policy, incident, Resolve{}, t0).incident;
  CHECK(run(policy, monitoring, Reopen{}, t0 + minutes).incident->state == State::investigating);

  const Incident declined = *run(policy, incident, Decline{"noise"}, t0).incident;
  CHECK(run(policy, declined, Reopen{}, t0 + minutes).incident->state == State::triage);

  const auto refused = run(policy, incident, Reopen{}, t0 + minutes);
  CHECK_FALSE(refused.changed);
  CHECK_THAT(refused.reply.text, Catch::Contains("not resolved"));
}
