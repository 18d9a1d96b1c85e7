#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("a chat's channel ids map both ways") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::channel_id(db, "slack", "inc-1-pixel"));
  store::remember_channel(db, "slack", "inc-1-pixel", "C100", 1);
  CHECK(store::channel_id(db, "slack", "inc-1-pixel") == "C100");
  CHECK(store::incident_of_channel_id(db, "slack", "C100") == 1);
  CHECK_FALSE(store::incident_of_channel_id(db, "mattermost", "C100"));
  CHECK_FALSE(store::channel_id(db, "mattermost", "inc-1-pixel"));
}

TEST_CASE("each incident has one card message per chat; remembering again replaces it") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::card_message(db, "slack", 1));
  store::remember_card(db, "slack", 1, {"C100", "1700000000.000100"});
  store::remember_card(db, "slack", 1, {"C100", "1700000000.000200"});
  const auto card = store::card_message(db, "slack", 1);
  REQUIRE(card);
  CHECK(card->channel_id == "C100");
  CHECK(card->message_id == "1700000000.000200");
}

TEST_CASE("private_channels: the chat's ids of the open private incidents' channels, or of one incident's") {
  auto db = store::open(":memory:");
  const auto add = [&](std::int64_t number, bool is_private, State state) {
    Incident incident;
    incident.number = number;
    incident.title = "incident " + std::to_string(number);
    incident.is_private = is_private;
    incident.state = state;
    incident.channel = "inc-" + std::to_string(number);
    store::save_incident(db, incident);
    store::remember_channel(db, "slack", incident.channel, "C" + std::to_string(number), number);
  };
  add(1, true, State::investigating);
  add(2, false, State::investigating);
  add(3, true, State::closed);
  add(4, true, State::triage);
  Incident unmade;  // private, its channel not made yet
  unmade.number = 5;
  unmade.is_private = true;
  unmade.channel = "inc-5";
  store::save_incident(db, unmade);
  const auto ids = [](const std::vector<store::PrivateChannel>& channels) {
    std::vector<std::string> found;
    for (const auto& channel : channels) found.push_back(std::to_string(channel.incident) + ":" + channel.channel_id);
    return found;
  };
  CHECK(ids(store::private_channels(db, "slack")) == std::vector<std::string>{"1:C1", "4:C4"});
  CHECK(ids(store::private_channels(db, "slack", 3)) == std::vector<std::string>{"3:C3"});
  CHECK(store::private_channels(db, "slack", 2).empty());
  CHECK(store::private_channels(db, "slack", 5).empty());
  CHECK(store::private_channels(db, "mattermost").empty());
}
