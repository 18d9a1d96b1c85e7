#pragma once
// Slack request signing, v0: HMAC-SHA256 over "v0:{timestamp}:{raw body}".
#include "commands/vocabulary.hpp"

#include <string>
#include <string_view>

namespace incident_bot::bot {

inline constexpr Seconds slack_signature_max_age = 300;

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body);

// Empty when the request is genuine; otherwise why not (never the secret, never the body).
std::string slack_signature_problem(std::string_view secret, std::string_view timestamp_header,
                                    std::string_view signature_header, std::string_view body, Timestamp now);

}  // namespace incident_bot::bot
