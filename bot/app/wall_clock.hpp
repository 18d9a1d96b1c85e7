#pragma once
// The only clock the bot reads; everything below bot/ is given the time.
#include "commands/vocabulary.hpp"

#include <chrono>

namespace incident_bot::bot {

inline Timestamp now_utc() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace incident_bot::bot
