#include "commands/vocabulary.hpp"

#include <array>
#include <charconv>
#include <limits>
#include <utility>

namespace incident_bot {
namespace {

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(left[i]) != lower(right[i])) return false;
  }
  return true;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr Seconds seconds_per_minute = 60;
constexpr Seconds seconds_per_hour = 60 * seconds_per_minute;
constexpr Seconds seconds_per_day = 24 * seconds_per_hour;

struct DurationUnit {
  char letter;
  Seconds seconds;
};
// Largest first: the order format_duration writes them and parse_duration expects them.
constexpr std::array<DurationUnit, 4> duration_units{{
    {'d', seconds_per_day},
    {'h', seconds_per_hour},
    {'m', seconds_per_minute},
    {'s', 1},
}};

std::optional<Seconds> unit_seconds(char letter) {
  const char lower = letter >= 'A' && letter <= 'Z' ? static_cast<char>(letter - 'A' + 'a') : letter;
  for (const auto& unit : duration_units)
    if (unit.letter == lower) return unit.seconds;
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::owner: return "owner";
    case Role::comms: return "comms";
    case Role::specialist: return "specialist";
    case Role::detector: return "detector";
  }
  return "unknown";
}

std::string_view to_string(State state) {
  switch (state) {
    case State::triage: return "triage";
    case State::investigating: return "investigating";
    case State::contained: return "contained";
    case State::monitoring: return "monitoring";
    case State::closed: return "closed";
    case State::declined: return "declined";
  }
  return "unknown";
}

std::string_view to_string(Confidence confidence) {
  switch (confidence) {
    case Confidence::unknown: return "unknown";
    case Confidence::low: return "low";
    case Confidence::medium: return "medium";
    case Confidence::high: return "high";
  }
  return "unknown";
}

std::optional<Role> role_from(std::string_view word) {
  // The doctrine's own names for the roles are accepted beside the short ones.
  static constexpr std::array<std::pair<std::string_view, Role>, 8> names{{
      {"owner", Role::owner},
      {"lead", Role::owner},
      {"incident-lead", Role::owner},
      {"comms", Role::comms},
      {"comms-lead", Role::comms},
      {"communicator", Role::comms},
      {"specialist", Role::specialist},
      {"detector", Role::detector},
  }};
  for (const auto& [name, role] : names)
    if (equals_ignoring_case(word, name)) return role;
  return std::nullopt;
}

std::optional<Confidence> confidence_from(std::string_view word) {
  for (const auto confidence : {Confidence::low, Confidence::medium, Confidence::high})
    if (equals_ignoring_case(word, to_string(confidence))) return confidence;
  return std::nullopt;
}

std::string_view to_string(PublicStatus status) {
  switch (status) {
    case PublicStatus::investigating: return "investigating";
    case PublicStatus::identified: return "identified";
    case PublicStatus::monitoring: return "monitoring";
    case PublicStatus::resolved: return "resolved";
  }
  return "unknown";
}

std::string_view to_string(Impact impact) {
  switch (impact) {
    case Impact::none: return "none";
    case Impact::minor: return "minor";
    case Impact::major: return "major";
    case Impact::critical: return "critical";
  }
  return "unknown";
}

std::optional<PublicStatus> public_status_from(std::string_view word) {
  for (const auto status : {PublicStatus::investigating, PublicStatus::identified, PublicStatus::monitoring,
                            PublicStatus::resolved})
    if (equals_ignoring_case(word, to_string(status))) return status;
  return std::nullopt;
}

std::optional<Impact> impact_from(std::string_view word) {
  for (const auto impact : {Impact::none, Impact::minor, Impact::major, Impact::critical})
    if (equals_ignoring_case(word, to_string(impact))) return impact;
  return std::nullopt;
}

std::optional<int> severity_from(std::string_view word) {
  if (word.size() == 4 && equals_ignoring_case(word.substr(0, 3), "sev")) word.remove_prefix(3);
  if (word.size() != 1 || !is_digit(word[0])) return std::nullopt;
  const int severity = word[0] - '0';
  if (severity < 1 || severity > lowest_severity) return std::nullopt;
  return severity;
}

std::string severity_name(int severity) { return "sev" + std::to_string(severity); }

namespace {

enum class DurationReading { unreadable, too_long, duration };

// Reads `text` whole; `total` holds the seconds when the answer is `duration`.
DurationReading read_duration(std::string_view text, Seconds& total) {
  constexpr Seconds largest = std::numeric_limits<Seconds>::max();
  total = 0;
  Seconds previous_unit = largest;
  bool overflowed = false;
  const char* position = text.data();
  const char* const end = text.data() + text.size();
  if (text.empty()) return DurationReading::unreadable;
  while (position != end) {
    // from_chars would accept a minus sign; a duration never has one.
    if (!is_digit(*position)) return DurationReading::unreadable;
    Seconds amount = 0;
    auto [after_number, error] = std::from_chars(position, end, amount);
    if (error == std::errc::result_out_of_range) {
      overflowed = true;
      while (after_number != end && is_digit(*after_number)) ++after_number;
    } else if (error != std::errc{}) {
      return DurationReading::unreadable;
    }
    if (after_number == end) return DurationReading::unreadable;
    const auto unit = unit_seconds(*after_number);
    // Each unit once, largest first, so "1h1h" and "30m1h" are caught as typos.
    if (!unit || *unit >= previous_unit) return DurationReading::unreadable;
    previous_unit = *unit;
    if (!overflowed && amount > largest / *unit) overflowed = true;
    if (!overflowed && total > largest - amount * *unit) overflowed = true;
    if (!overflowed) total += amount * *unit;
    position = after_number + 1;
  }
  if (overflowed || total > longest_duration) return DurationReading::too_long;
  if (total <= 0) return DurationReading::unreadable;
  return DurationReading::duration;
}

}  // namespace

std::optional<Seconds> parse_duration(std::string_view text) {
  Seconds total = 0;
  if (read_duration(text, total) != DurationReading::duration) return std::nullopt;
  return total;
}

bool is_too_long_duration(std::string_view text) {
  Seconds ignored = 0;
  return read_duration(text, ignored) == DurationReading::too_long;
}

Timestamp later_by(Timestamp at, Seconds by) {
  Timestamp later = 0;
  if (!__builtin_add_overflow(at, by, &later)) return later;
  return by > 0 ? std::numeric_limits<Timestamp>::max() : std::numeric_limits<Timestamp>::min();
}

std::string format_duration(Seconds seconds) {
  if (seconds == 0) return "0s";
  std::string text = seconds < 0 ? "-" : "";
  // Unsigned so that the most negative value still has a magnitude.
  auto remaining = seconds < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(seconds)
                               : static_cast<std::uint64_t>(seconds);
  bool wrote_a_unit = false;
  for (const auto& unit : duration_units) {
    const auto unit_size = static_cast<std::uint64_t>(unit.seconds);
    const auto count = remaining / unit_size;
    remaining %= unit_size;
    if (count == 0) continue;
    if (wrote_a_unit) text += ' ';
    wrote_a_unit = true;
    text += std::to_string(count);
    text += unit.letter;
  }
  return text;
}

}  // namespace incident_bot
