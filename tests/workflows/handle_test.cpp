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
}

TEST_CASE("a verb that needs an incident refuses without one") {
  workflows::Policy policy;
  const auto outcome = workflows::handle(at(policy, t0), nullptr, Update{"x"});
  CHECK_FALSE(outcome.changed);
  CHECK(workflows::needs_incident(Update{"x"}));
  CHECK_FALSE(workflows::needs_incident(Declare{"x"}));
  CHECK_FALSE(workflows::needs_incident(List{}));
  CHECK_FALSE(workflows::needs_incident(Help{}));
}

TEST_CASE("addressing: written id, then the channel's incident, then the one the actor holds") {
  workflows::Addressing addressing;
  addressing.written = 4;
  addressing.channel_incident = 2;
  addressing.held_by_actor = {9};
  CHECK(std::get<std::int64_t>(workflows::choose_incident(addressing)) == 4);
  addressing.written.reset();
  CHECK(std::get<std::int64_t>(workflows::choose_incident(addressing)) == 2);
  addressing.channel_incident.reset();
  CHECK(std::get<std::int64_t>(workflows::choose_incident(addressing)) == 9);
}

TEST_CASE("addressing: ambiguity is an error that lists the open incidents") {
  workflows::Addressing addressing;
  addressing.held_by_actor = {1, 2};
  addressing.open = {{1, "Checkout down"}, {2, "Pixel <broken>"}};
  const auto chosen = workflows::choose_incident(addressing);
  REQUIRE(std::holds_alternative<std::string>(chosen));
  CHECK(std::get<std::string>(chosen) ==
        "You hold roles in several incidents; write INC-N first. Open: INC-1 (Checkout down), INC-2 (Pixel &lt;broken&gt;)");

  addressing.held_by_actor.clear();
  CHECK_THAT(std::get<std::string>(workflows::choose_incident(addressing)), Catch::StartsWith("Which incident?"));
  addressing.open.clear();
  CHECK_THAT(std::get<std::string>(workflows::choose_incident(addressing)), Catch::Contains("no open incident"));
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
