#pragma once
// GET /healthz: "ok", or the class of what is wrong, from one read of the store: no transaction, no write lock.
#include "bot/net/http_server.hpp"
#include "commands/vocabulary.hpp"

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <functional>
#include <memory>

namespace incident_bot::bot {

struct HealthOptions {
  Seconds stuck_after = 10 * 60;            // outbox.stuck_after
  std::function<Timestamp()> clock;
  std::function<bool()> scheduler_failing;  // the scheduler's last sweep failed
};

class HealthCheck {
 public:
  HealthCheck(SQLite::Database& db, HealthOptions options, std::shared_ptr<spdlog::logger> logger);

  // 200 "ok", or 503 with one line naming the class: store, outbox or scheduler. Never the store's error text.
  ServerResponse answer();

 private:
  SQLite::Database& db_;
  HealthOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  bool store_unavailable_ = false;  // a poller every few seconds must not log every failed read
};

}  // namespace incident_bot::bot
