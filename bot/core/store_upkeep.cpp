#include "bot/core/store_upkeep.hpp"

#include "store/store.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>
#include <sqlite3.h>

#include <algorithm>

namespace incident_bot::bot {

StoreUpkeep::StoreUpkeep(boost::asio::io_context& io, SQLite::Database& db, Clock clock,
                         std::shared_ptr<spdlog::logger> logger, StoreUpkeepOptions options)
    : io_(io), timer_(io), db_(db), clock_(std::move(clock)), logger_(std::move(logger)), options_(options) {
  options_.batch = std::max(1, options_.batch);
}

void StoreUpkeep::start() {
  stopped_ = false;
  deliveries_done_ = outbox_done_ = false;
  round_deleted_ = 0;
  boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
    if (alive.lock()) next_turn();
  });
}

void StoreUpkeep::stop() {
  stopped_ = true;
  timer_.cancel();
}

bool StoreUpkeep::prune_one_batch() {
  const Timestamp now = clock_();
  // The table that is not done yet, deliveries first; each statement is its own transaction.
  const bool deliveries = !deliveries_done_;
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  const int deleted = deliveries
                          ? store::prune_deliveries(db_, later_by(now, -options_.keep_delivery_ids), options_.batch)
                          : store::prune_delivered(db_, later_by(now, -options_.keep_delivered), options_.batch);
  transaction.commit();
  figures_.largest_batch = std::max(figures_.largest_batch, deleted);
  round_deleted_ += static_cast<std::uint64_t>(deleted);
  (deliveries ? figures_.delivery_ids : figures_.delivered_posts) += static_cast<std::uint64_t>(deleted);
  // A short batch means nothing older is left in that table.
  if (deleted < options_.batch) (deliveries ? deliveries_done_ : outbox_done_) = true;
  return !(deliveries_done_ && outbox_done_);
}

void StoreUpkeep::next_turn() {
  if (stopped_) return;
  // A command's transaction is never joined: the round waits for the next tick instead.
  if (sqlite3_get_autocommit(db_.getHandle()) == 0) {
    ++figures_.deferred;
    wait_for_next_round();
    return;
  }
  bool more = false;
  try {
    more = prune_one_batch();
  } catch (const std::exception& error) {
    ++figures_.failures;
    logger_->warn("store upkeep: a prune failed: {}; tried again in the next round", error.what());
    wait_for_next_round();
    return;
  }
  if (more) {
    // Back to the loop between batches: whatever arrived meanwhile runs before the next delete.
    boost::asio::post(io_, [this, alive = std::weak_ptr<bool>(alive_)] {
      if (alive.lock()) next_turn();
    });
    return;
  }
  ++figures_.rounds;
  if (round_deleted_ > 0)
    logger_->info("store upkeep: pruned {} old delivery ids and delivered posts", round_deleted_);
  wait_for_next_round();
}

void StoreUpkeep::wait_for_next_round() {
  deliveries_done_ = outbox_done_ = false;
  round_deleted_ = 0;
  timer_.expires_after(options_.every);
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    next_turn();
  });
}

}  // namespace incident_bot::bot
