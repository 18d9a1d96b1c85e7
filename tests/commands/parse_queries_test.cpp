#include "parse_support.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("status, list and timeline take no arguments", "[queries]") {
  parse_as<Status>("status");
  parse_as<List>("list");
  parse_as<Timeline>("timeline");
  parse_as<Timeline>("INC-8 timeline");
  CHECK(parse_error("list everything").message == "list takes no arguments, got 'everything'");
  CHECK(parse_error("timeline please").usage == "timeline");
}

TEST_CASE("an incident reference after a query verb is pointed out", "[queries]") {
  CHECK(parse_error("status INC-12").message == "write the incident before the verb: INC-12 status");
  CHECK(parse_error("timeline inc-3").message == "write the incident before the verb: inc-3 timeline");
}

TEST_CASE("help alone asks for every verb", "[help]") {
  CHECK(parse_as<Help>("help").verb.empty());
  CHECK(parse_as<Help>("HELP  ").verb.empty());
}

TEST_CASE("help names one verb by its canonical name", "[help]") {
  CHECK(parse_as<Help>("help update").verb == "update");
  CHECK(parse_as<Help>("help DECLARE").verb == "declare");
  CHECK(parse_as<Help>("help assign").verb == "role");
}

TEST_CASE("help refuses an unknown verb or several words", "[help]") {
  const auto unknown = parse_error("help deploy");
  CHECK(unknown.message == "no help for unknown verb 'deploy'");
  CHECK(contains(unknown.usage, "timeline"));
  const auto several = parse_error("help update declare");
  CHECK(several.message == "help takes one verb, got 'update declare'");
  CHECK(several.usage == "help [verb]");
}
