#include "bot/core/delivery.hpp"

#include "bot/core/delivery_verdict.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <thread>

namespace incident_bot::bot {

namespace asio = boost::asio;

Seconds outbox_retry_delay(int attempts) { return std::min<Seconds>(Seconds{1} << std::clamp(attempts + 1, 1, 9), 300); }

DeliveryEngine::DeliveryEngine(asio::io_context& io, SQLite::Database& db, ChatTranslator& chat, DeliveryOptions options,
                               std::shared_ptr<spdlog::logger> logger)
    : io_(io), db_(db), chat_(chat), options_(std::move(options)), logger_(std::move(logger)),
      platform_(chat_.traits().name), wake_timer_(io) {}

void DeliveryEngine::start() {
  running_ = true;
  asio::co_spawn(io_, loop(), [this](std::exception_ptr escaped) {
    if (!escaped) return;
    try {
      std::rethrow_exception(escaped);
    } catch (const std::exception& error) {
      logger_->critical("{} delivery loop ended: {}", platform_, error.what());
    }
  });
}

void DeliveryEngine::stop() {
  running_ = false;
  wake_timer_.cancel();
}

void DeliveryEngine::wake() { wake_timer_.cancel(); }

void DeliveryEngine::failed(const std::string& what, const std::exception& error) {
  ++failures_in_a_row_;
  ++failures_total_;
  last_failure_ = what + ": " + error.what();
  // The first of a streak, then every tenth: a busy store must not flood the log.
  if (failures_in_a_row_ == 1 || failures_in_a_row_ % 10 == 0)
    logger_->error("{} delivery: {} ({} in a row); trying again", platform_, last_failure_, failures_in_a_row_);
}

void DeliveryEngine::take_over_gone_workers() {
  if (!options_.worker_gone) return;
  for (const auto& worker : store::claiming_workers(db_, platform_, options_.clock()))
    if (worker != options_.worker && options_.worker_gone(worker)) {
      logger_->info("{} delivery: taking over the posts claimed by {}, which is gone", platform_, worker);
      store::expire_claims(db_, worker);
    }
}

asio::awaitable<void> DeliveryEngine::loop() {
  bool first_pass = true;
  while (running_) {
    Seconds wait = options_.idle_poll;
    try {
      const Timestamp now = options_.clock();
      if (first_pass) take_over_gone_workers();
      first_pass = false;
      if (now - claims_renewed_at_ >= std::max<Seconds>(1, options_.claim_for / 3)) {
        store::renew_claims(db_, options_.worker, now + options_.claim_for);
        claims_renewed_at_ = now;
      }
      for (const auto& head : store::channel_heads(db_, platform_, options_.worker, now, 200)) {
        if (static_cast<int>(in_flight_.size()) >= options_.channels_at_once) break;
        if (!in_flight_.insert(head.channel).second) continue;
        asio::co_spawn(io_, drain(head.channel), [this, channel = head.channel](std::exception_ptr escaped) {
          in_flight_.erase(channel);
          if (escaped) {
            try {
              std::rethrow_exception(escaped);
            } catch (const std::exception& error) {
              failed("channel " + channel, error);
            }
          }
          wake();
        });
      }
      if (const auto due = store::next_post_due(db_, platform_)) wait = std::clamp<Seconds>(*due - now, 1, wait);
      // A pass that read the store with nothing in flight ends a streak even when nothing was waiting.
      if (in_flight_.empty()) failures_in_a_row_ = 0;
      if (failures_in_a_row_ > 0) wait = std::min<Seconds>(outbox_retry_delay(failures_in_a_row_ - 1), 60);
    } catch (const std::exception& error) {
      failed("outbox", error);
      wait = std::min<Seconds>(outbox_retry_delay(failures_in_a_row_ - 1), 60);
    }
    if (!running_) break;
    wake_timer_.expires_after(std::chrono::seconds(wait));
    co_await wake_timer_.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

// One channel's rows, one at a time, until its head must wait.
asio::awaitable<void> DeliveryEngine::drain(std::string channel) {
  while (running_) {
    const Timestamp now = options_.clock();
    const auto row = store::channel_head(db_, platform_, channel, options_.worker, now);
    if (!row || !store::claim_row(db_, row->id, options_.worker, now, now + options_.claim_for)) co_return;
    Verdict verdict;
    try {
      verdict = co_await deliver(*row);
    } catch (const std::exception& error) {
      verdict = Verdict::retry_later(std::string("internal error: ") + error.what());
      logger_->error("{} post {} ({}): {}", platform_, row->id, workflows::to_string(row->kind), error.what());
    }
    if (options_.pause_after_call.count() > 0) std::this_thread::sleep_for(options_.pause_after_call);
    record(*row, verdict);
    failures_in_a_row_ = 0;
    if (verdict.kind == Verdict::Kind::retry) co_return;  // the channel waits for its head
  }
}

void DeliveryEngine::record(const store::OutboxRow& row, const Verdict& verdict) {
  const Timestamp now = options_.clock();
  const auto kind = workflows::to_string(row.kind);
  switch (verdict.kind) {
    case Verdict::Kind::delivered: store::mark_delivered(db_, row.id, verdict.value, now); return;
    case Verdict::Kind::failed:
      logger_->warn("{} post {} ({}) failed for good: {}", platform_, row.id, kind, verdict.error);
      store::mark_failed(db_, row.id, verdict.error, now);
      return;
    case Verdict::Kind::retry:
      if (now - row.created_at >= options_.give_up_after) {
        const std::string error = "gave up after " + std::to_string(options_.give_up_after / 3600) + "h: " + verdict.error;
        logger_->warn("{} post {} ({}) failed for good: {}", platform_, row.id, kind, error);
        store::mark_failed(db_, row.id, error, now);
        return;
      }
      const Timestamp retry_at = std::max(verdict.not_before, now + outbox_retry_delay(row.attempts));
      logger_->info("{} post {} ({}): {}; again in {} s", platform_, row.id, kind, verdict.error, retry_at - now);
      store::mark_retry(db_, row.id, retry_at, verdict.error, verdict.in_doubt);
      return;
  }
}

}  // namespace incident_bot::bot
