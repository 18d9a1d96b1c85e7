#pragma once
// A logger whose lines a test reads, and waits for, while the code under test still runs.
//
//   fakes::CapturedLog log;
//   fakes::RunningBot bot(config, secrets, start, fakes::quick_socket_mode(), log.logger());
//   REQUIRE(log.wait_for("not acked", 1, 5s));
#include <spdlog/logger.h>
#include <spdlog/sinks/ringbuffer_sink.h>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::fakes {

class CapturedLog {
 public:
  explicit CapturedLog(std::size_t capacity = 1000);

  std::shared_ptr<spdlog::logger> logger() const { return logger_; }
  std::vector<std::string> lines() const;  // formatted, oldest first
  std::size_t count(std::string_view part) const;  // lines containing part
  bool wait_for(std::string_view part, std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace incident_bot::fakes
