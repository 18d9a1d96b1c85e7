#pragma once
// The words every layer shares: time, roles, states, confidence, severities, durations.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace incident_bot {

using Timestamp = std::int64_t;  // UTC seconds since the Unix epoch
using Seconds = std::int64_t;

enum class Role { detector, owner, specialist, comms };
enum class State { triage, investigating, contained, monitoring, closed, declined };
enum class Confidence { unknown, low, medium, high };
// What the public status page says of an incident, and how hard it hits (Statuspage's words).
enum class PublicStatus { investigating, identified, monitoring, resolved };
enum class Impact { none, minor, major, critical };

inline constexpr int lowest_severity = 4;  // sev1 is the most severe
inline constexpr std::size_t max_field_length = 2000;

std::string_view to_string(Role role);
std::string_view to_string(State state);
std::string_view to_string(Confidence confidence);
std::string_view to_string(PublicStatus status);
std::string_view to_string(Impact impact);
std::optional<Role> role_from(std::string_view word);              // owner, comms, specialist, detector (+ aliases)
std::optional<Confidence> confidence_from(std::string_view word);  // low, medium, high
std::optional<PublicStatus> public_status_from(std::string_view word);  // investigating, identified, monitoring, resolved
std::optional<Impact> impact_from(std::string_view word);              // none, minor, major, critical
std::optional<int> severity_from(std::string_view word);           // sev1..sev4, SEV2, 3
std::string severity_name(int severity);                           // "sev2"

// The longest duration any command or config key may name: a year keeps every deadline far from int64's end.
inline constexpr Seconds longest_duration = 365 * 24 * 3600;
inline constexpr std::string_view longest_duration_text = "365d";

// "90s", "30m", "6h", "2d", and sums such as "1h30m", up to longest_duration; nullopt on anything else or zero.
std::optional<Seconds> parse_duration(std::string_view text);
// True when `text` is written as a duration but is longer than longest_duration (or than any integer holds).
bool is_too_long_duration(std::string_view text);
std::string format_duration(Seconds seconds);  // "1h 30m", "45s", "2d 3h"

// `at` moved on by `by`, held at the ends of Timestamp instead of overflowing.
Timestamp later_by(Timestamp at, Seconds by);

}  // namespace incident_bot
