#include "fixtures.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

TEST_CASE("queries change nothing and pick their view") {
  workflows::Policy policy;
  const Incident incident = declared(policy);
  CHECK(run(policy, incident, Status{}, t0).reply.view == workflows::View::card);
  CHECK(run(policy, incident, Timeline{}, t0).reply.view == workflows::View::timeline);
  CHECK(workflows::handle(at(policy, t0), nullptr, List{}).reply.view == workflows::View::list);
  const auto help = workflows::handle(at(policy, t0), nullptr, Help{"update"});
  CHECK(help.reply.view == workflows::View::help);
  CHECK(help.reply.text == "update");
  CHECK_FALSE(run(policy, incident, Status{}, t0).changed);
  CHECK_FALSE(run(policy, incident, Status{}, t0).refused);
}

TEST_CASE("a verb that needs an incident refuses without one") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0), nullptr, Update{"x"});
  CHECK_FALSE(outcome.changed);
  CHECK(outcome.refused);
  CHECK(workflows::needs_incident(Update{"x"}));
  CHECK_FALSE(workflows::needs_incident(Declare{"x"}));
  CHECK_FALSE(workflows::needs_incident(List{}));
  CHECK_FALSE(workflows::needs_incident(Help{}));
}

TEST_CASE("channel names: lowercase slug, only a-z 0-9 - _, at most 80 characters") {
  CHECK(workflows::channel_name("inc", 12, "Checkout fails on Mobile!") == "inc-12-checkout-fails-on-mobile");
  CHECK(workflows::channel_name("inc", 3, "  Meta   pixel -- down ") == "inc-3-meta-pixel-down");
  CHECK(workflows::channel_name("inc", 3, "日本語") == "inc-3");
  CHECK(workflows::channel_name("inc", 3, "snake_case title") == "inc-3-snake_case-title");
  const std::string long_name = workflows::channel_name("inc", 5, std::string(200, 'a'));
  CHECK(long_name.size() == 80);
  CHECK(long_name.starts_with("inc-5-aaa"));
}

TEST_CASE("only the postmortem verbs read the postmortem") {
  CHECK(workflows::reads_postmortem(PostmortemShow{}));
  CHECK(workflows::reads_postmortem(PostmortemDone{}));
  CHECK_FALSE(workflows::reads_postmortem(Status{}));
  CHECK_FALSE(workflows::reads_postmortem(Note{"x"}));
}
