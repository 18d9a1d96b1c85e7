#pragma once
// The running bot: one io_context on one thread, the store, the HTTP routes and the outbox delivery.
#include "bot/app/config.hpp"
#include "bot/app/secrets.hpp"
#include "bot/slack/api.hpp"
#include "bot/slack/socket_mode.hpp"

#include <boost/asio/io_context.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <functional>
#include <memory>

namespace incident_bot::bot {

// Timings that are not configuration: tests shorten them.
struct RuntimeTuning {
  RetryPolicy slack_retry;
  RetryPolicy mattermost_retry;
  SocketModeTuning socket_mode;
  Seconds claim_for = 60;  // how long a delivery claim lives unless renewed
};

// The longest a 429's wait is waited out inside one delivery call.
inline constexpr std::chrono::seconds delivery_wait_in_call{10};

class Runtime {
 public:
  using Clock = std::function<Timestamp()>;
  Runtime(Config config, Secrets secrets, std::shared_ptr<spdlog::logger> logger, Clock clock,
          RuntimeTuning tuning = {});
  ~Runtime();

  // Runs until stop() or SIGINT/SIGTERM; every handler runs on this thread. Returns the exit
  // status: 0, or 1 when an adapter gave up for good (Socket Mode's link disabled, its token refused).
  int run();
  void stop();

  unsigned short http_port() const;  // 0 when no HTTP adapter runs
  bool has_adapter() const;
  boost::asio::io_context& io();
  SQLite::Database& db();

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace incident_bot::bot
