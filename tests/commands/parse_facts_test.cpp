#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("scope takes the rest of the text", "[scope]") {
  CHECK(parse_as<SetScope>("scope EU customers paying by card").scope == "EU customers paying by card");
  CHECK(parse_as<SetScope>("INC-9 SCOPE  all: web | app ").scope == "all: web | app");
}

TEST_CASE("layer takes one word, lowercased", "[layer]") {
  CHECK(parse_as<SetLayer>("layer Measurement").layer == "measurement");
  CHECK(parse_as<SetLayer>("layer   delivery  ").layer == "delivery");
}

TEST_CASE("layer refuses none or several words", "[layer]") {
  const auto missing = parse_error("layer");
  CHECK(missing.message == "missing layer");
  CHECK(missing.usage == "layer <name>");
  CHECK(parse_error("layer platform delivery").message == "a layer is one word, got 'platform delivery'");
}

TEST_CASE("severity reads sevN and a bare digit", "[severity]") {
  CHECK(parse_as<SetSeverity>("severity sev1").severity == 1);
  CHECK(parse_as<SetSeverity>("severity SEV4").severity == 4);
  CHECK(parse_as<SetSeverity>("severity 2").severity == 2);
}

TEST_CASE("severity refuses a missing, unknown or wordy severity", "[severity]") {
  CHECK(parse_error("severity").message == "missing severity");
  CHECK(parse_error("severity sev5").message == "unknown severity 'sev5', expected sev1..sev4");
  CHECK(parse_error("severity high").message == "unknown severity 'high', expected sev1..sev4");
  CHECK(parse_error("severity sev 2").message == "severity is one word, got 'sev 2'");
  CHECK(parse_error("severity sev5").usage == "severity <sev1..sev4>");
}

TEST_CASE("change, verify and note take their required text", "[change][verify][note]") {
  CHECK(parse_as<RecordChange>("change Rolled back payments-api to v412").what == "Rolled back payments-api to v412");
  CHECK(parse_as<Verify>("verify Error rate under 0.1% for 15 minutes").finding ==
        "Error rate under 0.1% for 15 minutes");
  CHECK(parse_as<Note>("note Vendor reports a degraded API").text == "Vendor reports a degraded API");
}

TEST_CASE("change, verify and note refuse missing text with their own usage", "[change][verify][note]") {
  const auto change = parse_error("change");
  CHECK(change.message == "missing change");
  CHECK(change.usage == "change <what changed>");
  const auto verify = parse_error("verify  ");
  CHECK(verify.message == "missing finding");
  CHECK(verify.usage == "verify <finding>");
  const auto note = parse_error("note");
  CHECK(note.message == "missing note");
  CHECK(note.usage == "note <text>");
  CHECK(parse_error("scope").message == "missing scope");
}

TEST_CASE("fact fields longer than max_field_length are refused by name", "[limits]") {
  const std::string longest(max_field_length, 'x');
  CHECK(parse_as<Note>("note " + longest).text == longest);
  CHECK(parse_error("note " + longest + "x").message == "note is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("scope " + longest + "x").message == "scope is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("change " + longest + "x").message == "change is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("verify " + longest + "x").message == "finding is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("layer " + longest + "x").message == "layer is too long: 2001 bytes, at most 2000");
}
