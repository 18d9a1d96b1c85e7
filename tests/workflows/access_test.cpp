#include "workflows/access.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace incident_bot;
using workflows::AccessFacts;
using workflows::may_see;

namespace {

Incident private_incident() {
  Incident incident;
  incident.number = 2;
  incident.title = "Credential leak";
  incident.is_private = true;
  incident.channel = "inc-2-credential-leak";
  incident.detector = "dana";
  incident.owner = "olga";
  incident.comms = "cora";
  incident.specialists = {"sam", "sue"};
  return incident;
}

// Incidents kept in memory: what a store would answer.
class Directory final : public workflows::IncidentDirectory {
 public:
  std::map<std::int64_t, Incident> incidents;
  std::optional<Incident> by_number(std::int64_t number) const override {
    const auto found = incidents.find(number);
    return found == incidents.end() ? std::nullopt : std::optional<Incident>(found->second);
  }
  std::optional<Incident> in_channel(const std::string& channel) const override {
    for (const auto& [number, incident] : incidents)
      if (incident.channel == channel) return incident;
    return std::nullopt;
  }
  std::vector<std::int64_t> held_by(const UserId& user) const override {
    std::vector<std::int64_t> held;
    for (const auto& [number, incident] : incidents)
      if (workflows::holds_role(incident, user)) held.push_back(number);
    return held;
  }
  std::vector<workflows::OpenIncident> open() const override {
    std::vector<workflows::OpenIncident> summaries;
    for (const auto& [number, incident] : incidents) summaries.push_back({number, incident.title, incident.is_private});
    return summaries;
  }
};

}  // namespace

TEST_CASE("access: a public incident is everyone's") {
  Incident incident = private_incident();
  incident.is_private = false;
  CHECK(may_see(incident, "mallory", AccessFacts{}));
}

TEST_CASE("access: a private incident is its role holders', its declarer's and its channel members' only") {
  const Incident incident = private_incident();
  for (const char* holder : {"dana", "olga", "cora", "sam", "sue"}) CHECK(may_see(incident, holder, AccessFacts{}));
  CHECK(may_see(incident, "alice", AccessFacts{"alice", false}));
  CHECK(may_see(incident, "carol", AccessFacts{"alice", true}));
  CHECK_FALSE(may_see(incident, "mallory", AccessFacts{"alice", false}));
  CHECK_FALSE(may_see(incident, "mallory", AccessFacts{}));
}

TEST_CASE("access: an unassigned role or an unknown declarer lets nobody in") {
  Incident incident = private_incident();
  incident.comms.clear();
  CHECK_FALSE(workflows::holds_role(incident, ""));
  CHECK_FALSE(may_see(incident, "", AccessFacts{"", false}));
}

TEST_CASE("access: the directory an outsider sees has no private incident in it") {
  Directory all;
  Incident open_one;
  open_one.number = 1;
  open_one.title = "Checkout slow";
  all.incidents[1] = open_one;
  all.incidents[2] = private_incident();
  int asked = 0;
  const workflows::VisibleIncidents mallory(all, "mallory", [&](const Incident&) {
    ++asked;
    return AccessFacts{"alice", false};
  });
  CHECK(mallory.by_number(1));
  CHECK_FALSE(mallory.by_number(2));
  CHECK_FALSE(mallory.in_channel("inc-2-credential-leak"));
  CHECK(mallory.held_by("olga").empty());
  REQUIRE(mallory.open().size() == 1);
  CHECK(mallory.open().front().number == 1);
  const auto addressed = workflows::address(2, {"general", "mallory"}, mallory);
  REQUIRE(std::holds_alternative<workflows::AddressRefusal>(addressed));
  CHECK(std::get<workflows::AddressRefusal>(addressed).text == "INC-2 does not exist.");
  CHECK(asked > 0);

  const workflows::VisibleIncidents olga(all, "olga", [&](const Incident&) -> AccessFacts { FAIL("a role holder needs no facts"); return {}; });
  CHECK(olga.by_number(2));
  CHECK(olga.held_by("olga") == std::vector<std::int64_t>{2});
  CHECK(olga.open().size() == 2);

  const workflows::VisibleIncidents carol(all, "carol", [](const Incident&) { return AccessFacts{"alice", true}; });
  CHECK(carol.in_channel("inc-2-credential-leak"));
  CHECK(carol.open().size() == 2);
}
