#include "commands/vocabulary.hpp"

#include <catch2/catch.hpp>

#include <limits>
#include <random>
#include <string>

using namespace incident_bot;

namespace {
std::string without_spaces(std::string text) {
  std::erase(text, ' ');
  return text;
}
}  // namespace

TEST_CASE("to_string names every role, state and confidence", "[vocabulary]") {
  CHECK(to_string(Role::owner) == "owner");
  CHECK(to_string(Role::comms) == "comms");
  CHECK(to_string(Role::specialist) == "specialist");
  CHECK(to_string(Role::detector) == "detector");

  CHECK(to_string(State::triage) == "triage");
  CHECK(to_string(State::investigating) == "investigating");
  CHECK(to_string(State::contained) == "contained");
  CHECK(to_string(State::monitoring) == "monitoring");
  CHECK(to_string(State::closed) == "closed");
  CHECK(to_string(State::declined) == "declined");

  CHECK(to_string(Confidence::unknown) == "unknown");
  CHECK(to_string(Confidence::low) == "low");
  CHECK(to_string(Confidence::medium) == "medium");
  CHECK(to_string(Confidence::high) == "high");
}

TEST_CASE("role_from reads role names and the doctrine's aliases in any case", "[vocabulary]") {
  for (const auto role : {Role::owner, Role::comms, Role::specialist, Role::detector})
    CHECK(role_from(to_string(role)) == role);
  CHECK(role_from("lead") == Role::owner);
  CHECK(role_from("incident-lead") == Role::owner);
  CHECK(role_from("Incident-Lead") == Role::owner);
  CHECK(role_from("comms-lead") == Role::comms);
  CHECK(role_from("communicator") == Role::comms);
  CHECK(role_from("OWNER") == Role::owner);
  CHECK(role_from("Specialist") == Role::specialist);
}

TEST_CASE("role_from refuses anything else", "[vocabulary]") {
  CHECK_FALSE(role_from(""));
  CHECK_FALSE(role_from("chef"));
  CHECK_FALSE(role_from("owners"));
  CHECK_FALSE(role_from(" owner"));
  CHECK_FALSE(role_from("incident lead"));
}

TEST_CASE("confidence_from reads low, medium and high in any case", "[vocabulary]") {
  CHECK(confidence_from("low") == Confidence::low);
  CHECK(confidence_from("Medium") == Confidence::medium);
  CHECK(confidence_from("HIGH") == Confidence::high);
  CHECK_FALSE(confidence_from("unknown"));
  CHECK_FALSE(confidence_from(""));
  CHECK_FALSE(confidence_from("mid"));
  CHECK_FALSE(confidence_from("highest"));
}

TEST_CASE("severity_from reads sevN and a bare digit from 1 to 4", "[vocabulary]") {
  CHECK(severity_from("sev1") == 1);
  CHECK(severity_from("sev4") == 4);
  CHECK(severity_from("SEV2") == 2);
  CHECK(severity_from("Sev3") == 3);
  CHECK(severity_from("1") == 1);
  CHECK(severity_from("4") == 4);
}

TEST_CASE("severity_from refuses out-of-range and malformed severities", "[vocabulary]") {
  for (const char* word : {"", "sev", "sev0", "sev5", "0", "5", "sev22", "22", "s2", "sev 2", "sev-1", "-1", "sev2x",
                           "severity2", "two"})
    CHECK_FALSE(severity_from(word));
}

TEST_CASE("severity_name writes sevN", "[vocabulary]") {
  CHECK(severity_name(1) == "sev1");
  CHECK(severity_name(2) == "sev2");
  CHECK(severity_name(lowest_severity) == "sev4");
}

TEST_CASE("parse_duration reads each unit and sums of units", "[vocabulary][duration]") {
  CHECK(parse_duration("90s") == 90);
  CHECK(parse_duration("30m") == 30 * 60);
  CHECK(parse_duration("6h") == 6 * 3600);
  CHECK(parse_duration("2d") == 2 * 86400);
  CHECK(parse_duration("1h30m") == 5400);
  CHECK(parse_duration("1d2h3m4s") == 86400 + 2 * 3600 + 3 * 60 + 4);
  CHECK(parse_duration("0h30m") == 1800);
  CHECK(parse_duration("90m") == 5400);
  CHECK(parse_duration("1H30M") == 5400);
  CHECK(parse_duration("2D") == 2 * 86400);
}

TEST_CASE("parse_duration refuses empty, zero, signed, spaced and garbage text", "[vocabulary][duration]") {
  for (const char* text : {"", "0s", "0m0s", "0d", "-5m", "+5m", "5", "m", "h30m", "1h 30m", " 1h", "1h ", "1x",
                           "1.5h", "1w", "30m1h", "1h1h", "1s1m", "1hh", "one hour", "1h-30m", "٣h"})
    CHECK_FALSE(parse_duration(text));
}

TEST_CASE("parse_duration refuses values past a year, and says so, overflowing or not", "[vocabulary][duration][bounds]") {
  CHECK(parse_duration("365d") == longest_duration);
  CHECK(parse_duration("364d23h59m60s") == longest_duration);
  CHECK(parse_duration(std::to_string(longest_duration) + "s") == longest_duration);
  for (const char* text : {"365d1s", "366d", "8760h1m", "100000000000000d", "9223372036854775807s",
                           "9223372036854775808s", "99999999999999999999999s", "99999999999999999999d",
                           "106751991167300d", "106751991167301d", "106751991167300d23h", "9223372036854775807m"}) {
    INFO(text);
    CHECK_FALSE(parse_duration(text));
    CHECK(is_too_long_duration(text));
  }
  for (const char* text : {"", "0s", "soon", "1h1h", "99999999999999999999x", "5m-", "-5m"}) {
    INFO(text);
    CHECK_FALSE(is_too_long_duration(text));
  }
}

TEST_CASE("later_by adds a duration to a time, held at the ends instead of overflowing", "[vocabulary][bounds]") {
  constexpr Timestamp most = std::numeric_limits<Timestamp>::max();
  constexpr Timestamp least = std::numeric_limits<Timestamp>::min();
  CHECK(later_by(1'795'000'000, 3600) == 1'795'003'600);
  CHECK(later_by(1'795'000'000, -3600) == 1'794'996'400);
  CHECK(later_by(1'795'000'000, most) == most);
  CHECK(later_by(most, 1) == most);
  CHECK(later_by(-1'795'000'000, least) == least);
  CHECK(later_by(least, -1) == least);
}

TEST_CASE("format_duration writes every non-zero unit, largest first", "[vocabulary][duration]") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(45) == "45s");
  CHECK(format_duration(60) == "1m");
  CHECK(format_duration(5400) == "1h 30m");
  CHECK(format_duration(3600) == "1h");
  CHECK(format_duration(2 * 86400 + 3 * 3600) == "2d 3h");
  CHECK(format_duration(86400 + 3600 + 60 + 1) == "1d 1h 1m 1s");
  CHECK(format_duration(86400 + 5) == "1d 5s");
}

TEST_CASE("format_duration marks negative durations with a minus sign", "[vocabulary][duration]") {
  CHECK(format_duration(-90) == "-1m 30s");
  CHECK(format_duration(std::numeric_limits<Seconds>::min()).starts_with("-106751991167300d"));
}

TEST_CASE("format_duration and parse_duration round-trip", "[vocabulary][duration]") {
  for (Seconds seconds : {Seconds{1}, Seconds{59}, Seconds{61}, Seconds{3599}, Seconds{3601}, Seconds{86399},
                          Seconds{86401}, Seconds{7 * 86400}, longest_duration}) {
    INFO(seconds);
    CHECK(parse_duration(without_spaces(format_duration(seconds))) == seconds);
  }
  std::mt19937_64 random(20240601);
  std::uniform_int_distribution<Seconds> any_duration(1, longest_duration);
  for (int i = 0; i < 2000; ++i) {
    const Seconds seconds = any_duration(random);
    INFO(seconds);
    REQUIRE(parse_duration(without_spaces(format_duration(seconds))) == seconds);
  }
  // Text already in its normal form comes back as written.
  for (const char* text : {"30m", "6h", "2d", "1h30m", "1d2h3m4s"})
    CHECK(without_spaces(format_duration(*parse_duration(text))) == text);
  CHECK(format_duration(*parse_duration("90s")) == "1m 30s");
}
