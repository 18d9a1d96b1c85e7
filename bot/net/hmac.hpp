#pragma once
// Keyed hashes for what the bot signs or checks (Slack requests, Mattermost dialog states), and the
// constant-time comparison that keeps a forgery from learning how much of it matched.
#include <string>
#include <string_view>

namespace incident_bot::bot {

std::string hmac_sha256_hex(std::string_view key, std::string_view message);  // lowercase hex

// Equal in time that depends on the lengths only.
bool same_secret(std::string_view given, std::string_view expected);

}  // namespace incident_bot::bot
