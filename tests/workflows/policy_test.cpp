#include "workflows/policy.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("cadence by severity falls back to the default") {
  workflows::Policy policy;
  CHECK(workflows::cadence_for(policy, 1) == 3600);
  CHECK(workflows::cadence_for(policy, 2) == 7200);
  CHECK(workflows::cadence_for(policy, 3) == 6 * 3600);
  policy.cadence_by_severity[3] = 5;
  CHECK(workflows::cadence_for(policy, 3) == 5);
}

TEST_CASE("layers are known by exact name and listed in order") {
  workflows::Policy policy;
  CHECK(workflows::is_known_layer(policy, "delivery"));
  CHECK_FALSE(workflows::is_known_layer(policy, "Delivery"));
  CHECK(workflows::layer_list(policy) == "economics, measurement, conversion, delivery, operations");
}
