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

TEST_CASE("snooze and cadence refuse a duration past a year or past any integer", "[snooze][cadence][bounds]") {
  const std::string longer = " is longer than 365d, the longest duration accepted";
  for (const std::string word : {"366d", "100000000000000d", "99999999999999999999d", "9223372036854775807s",
                                 "9223372036854775807d", "365d1s", "106751991167300d15h30m8s"}) {
    INFO(word);
    const auto cadence = parse_error("cadence " + word);
    CHECK(cadence.message == "'" + word.substr(0, 40) + (word.size() > 40 ? "…" : "") + "'" + longer);
    CHECK(cadence.usage == "cadence <duration|default>");
    const auto snooze = parse_error("snooze " + word + " lunch");
    CHECK(snooze.message == "'" + word + "'" + longer);
    CHECK(snooze.usage == "snooze <duration> [reason]");
  }
  CHECK(parse_as<SetCadence>("cadence 365d").every == 365 * 86400);
  CHECK(parse_as<Snooze>("snooze 364d23h59m59s").for_how_long == 365 * 86400 - 1);
}
