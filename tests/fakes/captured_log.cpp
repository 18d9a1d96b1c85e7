#include "fakes/captured_log.hpp"

#include <algorithm>
#include <thread>

namespace incident_bot::fakes {

CapturedLog::CapturedLog(std::size_t capacity)
    : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(capacity)),
      logger_(std::make_shared<spdlog::logger>("bot", sink_)) {}

std::vector<std::string> CapturedLog::lines() const { return sink_->last_formatted(); }

std::size_t CapturedLog::count(std::string_view part) const {
  const auto all = lines();
  return static_cast<std::size_t>(
      std::count_if(all.begin(), all.end(), [&](const std::string& line) { return line.find(part) != std::string::npos; }));
}

bool CapturedLog::wait_for(std::string_view part, std::size_t wanted, std::chrono::milliseconds timeout) const {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (count(part) < wanted) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

}  // namespace incident_bot::fakes
