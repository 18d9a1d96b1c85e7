#include "templates/render.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("the topic is one line of live state") {
  Incident incident;
  incident.number = 4;
  incident.severity = 2;
  incident.state = State::investigating;
  incident.owner = "bob";
  incident.next_update_due = 1'795'005'400;
  CHECK(templates::topic(incident) == "INC-4 · sev2 · investigating · owner <@bob> · next update 2026-11-18 12:36 UTC");
  incident.comms = "carol";
  incident.next_update_due = 0;
  CHECK(templates::topic(incident) == "INC-4 · sev2 · investigating · owner <@bob> · comms <@carol>");
}
