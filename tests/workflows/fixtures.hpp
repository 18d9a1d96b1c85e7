#pragma once
// Shared test data for the workflow tests: a policy, a clock value and a declared incident.
#include "workflows/handle.hpp"

namespace incident_bot::testing {

inline constexpr Timestamp t0 = 1'795'000'000;  // 2026-11-18, a fixed "now"
inline constexpr Seconds minutes = 60;
inline constexpr Seconds hours = 3600;

inline workflows::Request at(const workflows::Policy& policy, Timestamp now, UserId actor = "alice",
                             std::int64_t next_number = 1) {
  return workflows::Request{policy, std::move(actor), now, "general", next_number};
}

inline Incident declared(const workflows::Policy& policy, std::string title = "Checkout fails on mobile",
                         int severity = 3) {
  commands::Declare declare{std::move(title), severity, std::nullopt, false};
  return *workflows::handle(at(policy, t0), nullptr, declare).incident;
}

inline workflows::Outcome run(const workflows::Policy& policy, const Incident& incident,
                              const commands::Command& command, Timestamp now, UserId actor = "alice") {
  return workflows::handle(at(policy, now, std::move(actor)), &incident, command);
}

}  // namespace incident_bot::testing
