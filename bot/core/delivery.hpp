#pragma once
// The one delivery engine: every chat's outbox rows reach the chat through its ChatTranslator,
// each channel strictly in order, each row claimed before its call, every answer turned into a
// verdict (delivered, retry later, failed for good), posts in doubt looked for before they are
// sent again. Nothing that goes wrong stops it: errors are logged, counted and retried.
#include "bot/core/chat.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <memory>
#include <set>
#include <string>

namespace incident_bot::bot {

struct DeliveryOptions {
  std::string announce_channel;  // where a channel that cannot be created is reported
  Seconds give_up_after = 24 * 3600;  // outbox.give_up_after: a row still failing after this is failed for good
  Seconds claim_for = 60;        // a claim lives this long unless renewed; a dead worker's rows are taken over then
  Seconds idle_poll = 30;        // looks again this often even when nobody wakes it
  int channels_at_once = 8;      // channels delivered side by side
  std::string worker;            // this process's name in claims
  std::function<Timestamp()> clock;
  // True when a worker named in a claim is known to be gone (a process of this host that exited).
  std::function<bool(const std::string& worker)> worker_gone;
  // Test hook (INCIDENT_BOT_DELIVERY_PAUSE_MS): a pause between a chat's answer and its record.
  std::chrono::milliseconds pause_after_call{0};
};

// The delay before a row is tried again: 2, 4, 8 … seconds, at most five minutes.
Seconds outbox_retry_delay(int attempts);

class DeliveryEngine {
 public:
  DeliveryEngine(boost::asio::io_context& io, SQLite::Database& db, ChatTranslator& chat, DeliveryOptions options,
                 std::shared_ptr<spdlog::logger> logger);

  void start();
  void stop();
  void wake();  // posts are waiting

  // Store errors and exceptions met since the last pass that went through; 0 when healthy.
  int failures_in_a_row() const { return failures_in_a_row_; }
  long failures_total() const { return failures_total_; }
  const std::string& last_failure() const { return last_failure_; }

  struct Verdict;

 private:
  boost::asio::awaitable<void> loop();
  boost::asio::awaitable<void> drain(std::string channel);
  boost::asio::awaitable<Verdict> deliver(const store::OutboxRow& row);
  boost::asio::awaitable<Verdict> deliver_card(const store::OutboxRow& row, const Incident& incident);
  boost::asio::awaitable<Verdict> deliver_post(const store::OutboxRow& row, OutgoingPost post, bool direct);
  // The row's channel id: the incident's own channel (created on first use), else the row's channel.
  boost::asio::awaitable<Verdict> destination(const store::OutboxRow& row);
  boost::asio::awaitable<Verdict> incident_channel(const Incident& incident);
  Verdict channel_failed(const Incident& incident, const std::string& error);
  void record(const store::OutboxRow& row, const Verdict& verdict);
  void take_over_gone_workers();
  void failed(const std::string& what, const std::exception& error);

  boost::asio::io_context& io_;
  SQLite::Database& db_;
  ChatTranslator& chat_;
  DeliveryOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  std::string platform_;
  boost::asio::steady_timer wake_timer_;
  std::set<std::string> in_flight_;  // channels being drained
  Timestamp claims_renewed_at_ = 0;
  bool running_ = false;
  int failures_in_a_row_ = 0;
  long failures_total_ = 0;
  std::string last_failure_;
};

}  // namespace incident_bot::bot
