#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("snooze takes a duration and an optional reason", "[snooze]") {
  const auto snooze = parse_as<Snooze>("snooze 30m waiting for the vendor");
  CHECK(snooze.for_how_long == 30 * 60);
  CHECK(snooze.reason == "waiting for the vendor");
  CHECK(parse_as<Snooze>("INC-3 snooze 45s").for_how_long == 45);
  CHECK(parse_as<Snooze>("snooze 1h30m").reason.empty());
}

TEST_CASE("snooze refuses a missing or unreadable duration", "[snooze]") {
  const auto missing = parse_error("snooze");
  CHECK(missing.message == "missing duration, such as 30m");
  CHECK(missing.usage == "snooze <duration> [reason]");
  CHECK(parse_error("snooze later please").message == "'later' is not a duration such as 90s, 30m or 2h");
  CHECK(parse_error("snooze 0m").message == "'0m' is not a duration such as 90s, 30m or 2h");
  CHECK(contains(parse_error("snooze 5m " + std::string(2001, 'x')).message, "reason is too long"));
}

TEST_CASE("cadence takes one duration, or default", "[cadence]") {
  CHECK(parse_as<SetCadence>("cadence 2h").every == 2 * 3600);
  CHECK(parse_as<SetCadence>("cadence 5s").every == 5);
  CHECK(parse_as<SetCadence>("cadence DEFAULT").every == 0);
  CHECK(parse_error("cadence").message == "missing duration, such as 2h, or default");
  CHECK(parse_error("cadence 2h please").message == "cadence is one duration, got '2h please'");
  CHECK(parse_error("cadence often").usage == "cadence <duration|default>");
}
