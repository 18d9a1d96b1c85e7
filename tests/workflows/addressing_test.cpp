#include "workflows/addressing.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace incident_bot;
using workflows::AddressRefusal;

namespace {

// Incidents kept in memory: what a store would answer, and nothing else.
class Directory final : public workflows::IncidentDirectory {
 public:
  Incident& add(std::int64_t number, std::string title, std::string channel = {}) {
    Incident& incident = incidents_[number];
    incident.number = number;
    incident.title = std::move(title);
    incident.channel = std::move(channel);
    return incident;
  }
  void hold(const UserId& user, std::int64_t number) { held_[user].push_back(number); }

  std::optional<Incident> by_number(std::int64_t number) const override {
    const auto found = incidents_.find(number);
    return found == incidents_.end() ? std::nullopt : std::optional<Incident>(found->second);
  }
  std::optional<Incident> in_channel(const std::string& channel) const override {
    for (const auto& [number, incident] : incidents_)
      if (!channel.empty() && incident.channel == channel) return incident;
    return std::nullopt;
  }
  std::vector<std::int64_t> held_by(const UserId& user) const override {
    const auto found = held_.find(user);
    return found == held_.end() ? std::vector<std::int64_t>{} : found->second;
  }
  std::vector<workflows::OpenIncident> open() const override {
    std::vector<workflows::OpenIncident> summaries;
    for (const auto& [number, incident] : incidents_)
      if (incident.is_open()) summaries.push_back({number, incident.title});
    return summaries;
  }

 private:
  std::map<std::int64_t, Incident> incidents_;
  std::map<UserId, std::vector<std::int64_t>> held_;
};

std::int64_t chosen(const workflows::Addressed& addressed) {
  REQUIRE(std::holds_alternative<Incident>(addressed));
  return std::get<Incident>(addressed).number;
}

std::string refusal(const workflows::Addressed& addressed) {
  REQUIRE(std::holds_alternative<AddressRefusal>(addressed));
  return std::get<AddressRefusal>(addressed).text;
}

const workflows::CommandOrigin in_general{"general", "alice"};
const workflows::CommandOrigin in_inc_2{"inc-2-pixel", "alice"};

}  // namespace

TEST_CASE("addressing: the written INC-N wins over the channel's incident and a held role") {
  Directory directory;
  directory.add(2, "Pixel", "inc-2-pixel");
  directory.add(4, "Checkout");
  directory.hold("alice", 2);
  CHECK(chosen(workflows::address(4, in_inc_2, directory)) == 4);
}

TEST_CASE("addressing: a written INC-N that does not exist is refused, whatever the channel") {
  Directory directory;
  directory.add(2, "Pixel", "inc-2-pixel");
  CHECK(refusal(workflows::address(9, in_inc_2, directory)) == "INC-9 does not exist.");
}

TEST_CASE("addressing: without INC-N the channel's incident wins over a role held elsewhere") {
  Directory directory;
  directory.add(2, "Pixel", "inc-2-pixel");
  directory.add(4, "Checkout");
  directory.hold("alice", 4);
  CHECK(chosen(workflows::address(std::nullopt, in_inc_2, directory)) == 2);
}

TEST_CASE("addressing: outside an incident's channel, the one open incident the user holds a role in") {
  Directory directory;
  directory.add(2, "Pixel", "inc-2-pixel");
  directory.add(4, "Checkout");
  directory.hold("alice", 4);
  directory.hold("bob", 2);
  CHECK(chosen(workflows::address(std::nullopt, in_general, directory)) == 4);
}

TEST_CASE("addressing: roles in several incidents are refused with the open ones listed") {
  Directory directory;
  directory.add(1, "Checkout down");
  directory.add(2, "Pixel <broken>");
  directory.hold("alice", 1);
  directory.hold("alice", 2);
  CHECK(refusal(workflows::address(std::nullopt, in_general, directory)) ==
        "You hold roles in several incidents; write INC-N first. Open: INC-1 (Checkout down), INC-2 (Pixel &lt;broken&gt;)");
}

TEST_CASE("addressing: no role and no incident channel asks which incident, listing the open ones") {
  Directory directory;
  directory.add(1, "Checkout down");
  directory.add(3, "Pixel broken").state = State::closed;
  CHECK(refusal(workflows::address(std::nullopt, in_general, directory)) ==
        "Which incident? Write INC-N first. Open: INC-1 (Checkout down)");
}

TEST_CASE("addressing: with nothing open the refusal says how to declare") {
  Directory directory;
  CHECK(refusal(workflows::address(std::nullopt, in_general, directory)) ==
        "There is no open incident. Declare one with `declare &lt;title&gt;`.");
}
