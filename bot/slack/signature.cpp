#include "bot/slack/signature.hpp"

#include "bot/net/hmac.hpp"

#include <charconv>

namespace incident_bot::bot {

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  return "v0=" + hmac_sha256_hex(secret, "v0:" + std::string(timestamp) + ":" + std::string(body));
}

std::string slack_signature_problem(std::string_view secret, std::string_view timestamp_header,
                                    std::string_view signature_header, std::string_view body, Timestamp now) {
  if (timestamp_header.empty()) return "missing X-Slack-Request-Timestamp";
  if (signature_header.empty()) return "missing X-Slack-Signature";
  Timestamp sent = 0;
  const auto [end, ec] = std::from_chars(timestamp_header.data(), timestamp_header.data() + timestamp_header.size(), sent);
  if (ec != std::errc() || end != timestamp_header.data() + timestamp_header.size()) return "malformed timestamp";
  if (sent < now - slack_signature_max_age || sent > now + slack_signature_max_age) return "stale timestamp";
  const std::string expected = slack_signature(secret, timestamp_header, body);
  // Constant time, so the comparison leaks nothing about how much of a forged signature matched.
  if (!same_secret(signature_header, expected)) return "signature mismatch";
  return {};
}

}  // namespace incident_bot::bot
