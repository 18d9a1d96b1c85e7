#pragma once
// Keeps the store from growing without end: a timer on the io loop forgets old delivery ids and deletes
// delivered outbox rows, a small batch per statement, each in its own short transaction, one batch per
// turn of the loop, so a command never waits behind a long delete and no command's transaction holds one.
#include "commands/vocabulary.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

namespace incident_bot::bot {

struct StoreUpkeepOptions {
  Seconds keep_delivery_ids = 2 * 86400;  // store.keep_delivery_ids
  Seconds keep_delivered = 14 * 86400;    // store.keep_delivered
  int batch = 500;                        // rows per statement
  std::chrono::milliseconds every{std::chrono::minutes(1)};  // between rounds once nothing is left to prune
};

struct UpkeepFigures {
  std::uint64_t rounds = 0;            // rounds that ran to the end: nothing older than the bounds is left
  std::uint64_t delivery_ids = 0;      // ids forgotten
  std::uint64_t delivered_posts = 0;   // outbox rows deleted
  int largest_batch = 0;               // the most rows one statement deleted
  std::uint64_t failures = 0;          // batches that threw (a busy store); tried again next round
  std::uint64_t deferred = 0;          // turns skipped because a transaction was open on the connection
};

class StoreUpkeep {
 public:
  using Clock = std::function<Timestamp()>;
  StoreUpkeep(boost::asio::io_context& io, SQLite::Database& db, Clock clock, std::shared_ptr<spdlog::logger> logger,
              StoreUpkeepOptions options = {});

  // The first round starts on the loop's next turn, then one every options.every.
  void start();
  void stop();
  const UpkeepFigures& figures() const { return figures_; }

 private:
  // One batch of one table; false when both tables hold nothing older than their bound.
  bool prune_one_batch();
  void next_turn();
  void wait_for_next_round();

  boost::asio::io_context& io_;
  boost::asio::steady_timer timer_;
  SQLite::Database& db_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  StoreUpkeepOptions options_;
  UpkeepFigures figures_;
  bool deliveries_done_ = false;  // in this round
  bool outbox_done_ = false;
  std::uint64_t round_deleted_ = 0;
  bool stopped_ = true;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace incident_bot::bot
