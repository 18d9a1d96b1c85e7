#include "templates/phrases.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::templates::detail;

TEST_CASE("phrases: unknown values say so, known ones are escaped") {
  CHECK(or_unknown("") == "_not yet known_");
  CHECK(or_unknown("a < b") == "a &lt; b");
  CHECK(who("") == "_not yet known_");
  CHECK(who("U1") == "<@U1>");
}

TEST_CASE("phrases: when the next update is due, ahead or overdue") {
  CHECK(due(0, 100) == "none (not active)");
  CHECK_THAT(due(1'795'005'400, 1'795'000'000), Catch::EndsWith("(in 1h 30m)"));
  CHECK_THAT(due(1'795'000'000, 1'795'000'900), Catch::EndsWith("(*overdue by 15m*)"));
}

TEST_CASE("phrases: specialists and the next check") {
  Incident incident;
  CHECK(specialists(incident) == "none");
  incident.specialists = {"a", "b"};
  CHECK(specialists(incident) == "<@a>, <@b>");
  CHECK(next_check(incident) == "_not yet known_");
  incident.next_check = "error rate";
  CHECK(next_check(incident) == "error rate — no one assigned");
  incident.next_check_owner = "dan";
  CHECK(next_check(incident) == "error rate — <@dan>");
}
