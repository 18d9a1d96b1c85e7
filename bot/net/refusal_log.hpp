#pragma once
// Refused requests (unsigned, badly signed, a wrong token) logged without letting anyone flood the log: the
// first of a minute by method, path and reason; the rest of that minute as one count, once a later one comes.
// The query string never appears, since it may carry the very token that was refused.
#include "bot/net/http_server.hpp"

#include <spdlog/logger.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace incident_bot::bot {

class RefusalLog {
 public:
  // `what` names the refused in the summary ("unsigned Slack requests"); clock: seconds, as the receiver's.
  RefusalLog(std::shared_ptr<spdlog::logger> logger, std::string what, std::function<std::int64_t()> clock);
  RefusalLog(const RefusalLog&) = delete;
  RefusalLog& operator=(const RefusalLog&) = delete;
  ~RefusalLog();  // the count still untold is told

  void refused(const ServerRequest& request, std::string_view reason);

 private:
  void tell_count();

  std::shared_ptr<spdlog::logger> logger_;
  std::string what_;
  std::function<std::int64_t()> clock_;
  std::optional<std::int64_t> logged_at_;  // when the last refusal logged in full came
  std::size_t untold_ = 0;                 // refusals since then, not logged yet
};

}  // namespace incident_bot::bot
