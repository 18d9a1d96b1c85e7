#include "commands/grammar.hpp"
#include "parse_support.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("postmortem alone shows the draft; done marks it done", "[postmortem]") {
  parse_as<PostmortemShow>("postmortem");
  parse_as<PostmortemShow>("INC-4 postmortem show");
  parse_as<PostmortemDone>("postmortem DONE");
  CHECK(parse_error("postmortem done now").message == "postmortem done takes no arguments, got 'now'");
}

TEST_CASE("postmortem set takes a field by name or alias and the rest as text", "[postmortem]") {
  const auto cost = parse_as<PostmortemSet>("postmortem set cost About €4k of wasted spend | two bad budget cuts");
  CHECK(cost.field == PostmortemField::cost);
  CHECK(cost.text == "About €4k of wasted spend | two bad budget cuts");
  CHECK(parse_as<PostmortemSet>("postmortem set Detection-Gap no alert").field == PostmortemField::detection_gap);
  CHECK(parse_as<PostmortemSet>("postmortem set fix release checklist").field == PostmortemField::system_change);
  CHECK(parse_as<PostmortemSet>("postmortem set impact x").field == PostmortemField::cost);
  CHECK(to_string(PostmortemField::what_happened) == "what-happened");
  CHECK(postmortem_field_from("happened") == PostmortemField::what_happened);
}

TEST_CASE("postmortem set refuses an unknown field or missing text, naming the fields", "[postmortem]") {
  CHECK_THAT(parse_error("postmortem set costs x").message, Catch::Contains("unknown field 'costs', expected summary"));
  CHECK(parse_error("postmortem set cost").message == "missing cost text");
  CHECK_THAT(parse_error("postmortem set").message, Catch::Contains("missing field"));
  CHECK_THAT(parse_error("postmortem cost x").message, Catch::Contains("write set before the field"));
  CHECK_THAT(parse_error("postmortem publish").message, Catch::Contains("expected set or done"));
  CHECK_THAT(parse_error("postmortem publish").usage, Catch::StartsWith("postmortem [set"));
}

TEST_CASE("action: text, then the owner, then an optional due date", "[action]") {
  const auto action = parse_as<AddAction>("action Add a pixel-vs-orders alert @sam due 2026-12-01");
  CHECK(action.text == "Add a pixel-vs-orders alert");
  CHECK(action.owner == "sam");
  REQUIRE(action.due);
  CHECK(*action.due == 1'796'083'200);  // 2026-12-01 00:00 UTC
  const auto slack = parse_as<AddAction>("action Release checklist <@U123|Jane Doe>");
  CHECK(slack.owner == "U123");
  CHECK(slack.text == "Release checklist");
  CHECK_FALSE(slack.due);
}

TEST_CASE("action refuses a missing owner or text and a date that is not one", "[action]") {
  CHECK_THAT(parse_error("action add an alert").message, Catch::Contains("end the action with its owner"));
  CHECK(parse_error("action @sam").message == "missing action text before the owner");
  CHECK(parse_error("action").message == "missing action text and owner");
  CHECK_THAT(parse_error("action alert @sam due 2026-02-30").message, Catch::Contains("not a date written YYYY-MM-DD"));
  CHECK_THAT(parse_error("action alert @sam due tomorrow").message, Catch::Contains("'tomorrow'"));
  CHECK(parse_error("action alert @sam due").message == "due needs a date written YYYY-MM-DD");
}

TEST_CASE("dates: real calendar days only, as 00:00 UTC", "[action]") {
  CHECK(grammar::date_from("1970-01-01") == 0);
  CHECK(grammar::date_from("2028-02-29") == 1'835'395'200);
  CHECK_FALSE(grammar::date_from("2027-02-29"));
  CHECK_FALSE(grammar::date_from("2026-13-01"));
  CHECK_FALSE(grammar::date_from("2026-1-01"));
  CHECK_FALSE(grammar::date_from("26-01-01xx"));
}
