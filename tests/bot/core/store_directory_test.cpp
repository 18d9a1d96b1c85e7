#include "bot/core/store_directory.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

Incident saved(SQLite::Database& db, std::int64_t number, std::string title, std::string channel, UserId owner) {
  Incident incident;
  incident.number = number;
  incident.title = std::move(title);
  incident.channel = std::move(channel);
  incident.owner = std::move(owner);
  store::save_incident(db, incident);
  return incident;
}

}  // namespace

TEST_CASE("the store directory finds incidents by number, channel name, remembered channel id and role") {
  store::Connection db = store::open(":memory:");
  saved(db, 1, "Pixel broken", "inc-1-pixel-broken", "alice");
  Incident closed = saved(db, 2, "Spend stopped", "inc-2-spend-stopped", "alice");
  closed.state = State::closed;
  store::save_incident(db, closed);
  store::remember_channel(db, "slack", "inc-1-pixel-broken", "C0INC1", 1);
  const bot::StoreIncidentDirectory directory(db, "slack");

  CHECK(directory.by_number(1)->title == "Pixel broken");
  CHECK_FALSE(directory.by_number(7));
  CHECK(directory.in_channel("inc-1-pixel-broken")->number == 1);
  CHECK(directory.in_channel("C0INC1")->number == 1);
  CHECK_FALSE(directory.in_channel("C0GENERAL"));
  CHECK_FALSE(bot::StoreIncidentDirectory(db, "mattermost").in_channel("C0INC1"));
  CHECK(directory.held_by("alice") == std::vector<std::int64_t>{1});
  const auto open = directory.open();
  REQUIRE(open.size() == 1);
  CHECK(open[0].number == 1);
  CHECK(open[0].title == "Pixel broken");
}
