#include "bot/slack/signature.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <charconv>

namespace incident_bot::bot {

std::string slack_signature(std::string_view secret, std::string_view timestamp, std::string_view body) {
  const std::string base = "v0:" + std::string(timestamp) + ":" + std::string(body);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(base.data()),
       base.size(), digest, &length);
  static constexpr char hex[] = "0123456789abcdef";
  std::string signature = "v0=";
  for (unsigned int i = 0; i < length; ++i) {
    signature += hex[digest[i] >> 4];
    signature += hex[digest[i] & 0xf];
  }
  return signature;
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
  if (signature_header.size() != expected.size() ||
      CRYPTO_memcmp(signature_header.data(), expected.data(), expected.size()) != 0)
    return "signature mismatch";
  return {};
}

}  // namespace incident_bot::bot
