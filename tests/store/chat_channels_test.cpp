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
