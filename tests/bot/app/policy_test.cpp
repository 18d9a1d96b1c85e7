#include "bot/app/policy.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("the policy carries the cadence and reminder settings of the config") {
  const auto parsed = bot::parse_config(R"({
    "cadence": { "default": "5s", "sev1": "30m" },
    "reminders": { "escalate_after": ["10s", "20s", "1m"], "comms_lead_after": "2m",
                   "comms_fallback": "@support-leads", "postmortem_every": "12h" },
    "close": { "monitor_for": "1h" }
  })");
  REQUIRE(std::holds_alternative<bot::Config>(parsed));
  const auto policy = bot::policy_from(std::get<bot::Config>(parsed));
  CHECK(policy.default_cadence == 5);
  CHECK(workflows::cadence_for(policy, 1) == 30 * 60);
  CHECK(workflows::cadence_for(policy, 2) == 2 * 3600);
  CHECK(workflows::cadence_for(policy, 3) == 5);
  CHECK(policy.escalate_after == std::vector<Seconds>{10, 20, 60});
  CHECK(policy.comms_lead_after == 120);
  CHECK(policy.comms_fallback == "@support-leads");
  CHECK(policy.postmortem_every == 12 * 3600);
  CHECK(policy.monitor_for == 3600);
}
