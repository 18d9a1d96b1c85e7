#include "bot/core/delivery.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace incident_bot::bot {

namespace asio = boost::asio;

Seconds outbox_retry_delay(int attempts) { return std::min<Seconds>(Seconds{1} << std::clamp(attempts, 0, 8), 300); }

OutboxLoop::OutboxLoop(asio::io_context& io, SQLite::Database& db, Chat& chat, std::function<Timestamp()> clock,
                       std::shared_ptr<spdlog::logger> logger, Seconds idle_poll)
    : io_(io), db_(db), chat_(chat), clock_(std::move(clock)), logger_(std::move(logger)), idle_poll_(idle_poll),
      wake_timer_(io) {}

void OutboxLoop::start() {
  running_ = true;
  asio::co_spawn(io_, loop(), [logger = logger_, name = chat_.traits().name](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      logger->error("{} delivery stopped: {}", name, error.what());
    }
  });
}

void OutboxLoop::stop() {
  running_ = false;
  wake_timer_.cancel();
}

void OutboxLoop::wake() { wake_timer_.cancel(); }

asio::awaitable<void> OutboxLoop::loop() {
  const std::string platform = chat_.traits().name;
  while (running_) {
    const auto rows = store::pending_posts(db_, platform, clock_(), 50);
    for (const auto& row : rows) {
      const Delivery delivery = co_await chat_.deliver(row);
      const Timestamp at = clock_();
      switch (delivery.result) {
        case DeliveryResult::delivered: store::mark_delivered(db_, row.id, delivery.message_ref, at); break;
        case DeliveryResult::abandoned:
          logger_->warn("{} post {} ({}) abandoned: {}", platform, row.id, row.kind, delivery.error);
          store::mark_abandoned(db_, row.id, delivery.error, at);
          break;
        case DeliveryResult::retry_later:
          store::mark_failed_attempt(db_, row.id, at + outbox_retry_delay(row.attempts), delivery.error);
          break;
      }
      if (!running_) co_return;
    }
    if (!rows.empty()) continue;
    Seconds idle = idle_poll_;
    if (const auto due = store::next_post_due(db_, platform)) idle = std::clamp<Seconds>(*due - clock_(), 0, idle);
    wake_timer_.expires_after(std::chrono::seconds(idle));
    co_await wake_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

}  // namespace incident_bot::bot
