#pragma once
// Ids for public status page entries: random, so a reader can neither count incidents nor guess the next one.
#include <string>

namespace incident_bot::bot {

// 12 characters of [a-z0-9] (about 62 bits), as Statuspage's ids look.
std::string fresh_public_id();

}  // namespace incident_bot::bot
