#include "bot/core/scheduler.hpp"

#include "bot/core/effects.hpp"
#include "bot/core/platform.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"
#include "workflows/reminders.hpp"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>
#include <thread>

namespace incident_bot::bot {

namespace {

}  // namespace

SchedulerOptions scheduler_options_from_environment() {
  SchedulerOptions options;
  if (const char* pause = std::getenv("INCIDENT_BOT_SWEEP_PAUSE_MS"); pause && *pause) {
    long milliseconds = 0;
    const std::string_view text(pause);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), milliseconds);
    if (error == std::errc{} && end == text.data() + text.size() && milliseconds > 0)
      options.pause_after_each = std::chrono::milliseconds(milliseconds);
  }
  return options;
}

Scheduler::Scheduler(boost::asio::io_context& io, SQLite::Database& db, workflows::Policy policy, Clock clock,
                     std::shared_ptr<spdlog::logger> logger, SchedulerOptions options)
    : timer_(io), db_(db), profiles_(make_profile(console_platform(), std::move(policy))), clock_(std::move(clock)), logger_(std::move(logger)),
      options_(options) {}

void Scheduler::rearm() {
  if (stopped_) return;
  try {
    armed_for_ = store::earliest_due(db_);
  } catch (const std::exception& error) {
    failed(error);
    arm_after(retry_wait());
    return;
  }
  if (!armed_for_) {
    timer_.cancel();
    return;
  }
  arm_after(std::clamp<Seconds>(*armed_for_ - clock_(), 0, options_.longest_wait));
}

void Scheduler::arm_after(Seconds wait) {
  timer_.expires_after(std::chrono::seconds(wait));  // cancels the wait armed before
  timer_.async_wait([this](const boost::system::error_code& error) {
    if (error || stopped_) return;
    try {
      sweep();
      failures_in_a_row_ = 0;
    } catch (const std::exception& failure) {
      failed(failure);
    }
    if (on_swept_) on_swept_();
    if (failures_in_a_row_ > 0) arm_after(retry_wait());
    else rearm();
  });
}

// 2, 4, 8 … seconds after each failure in a row, at most a minute.
Seconds Scheduler::retry_wait() const { return std::min<Seconds>(Seconds{1} << std::min(failures_in_a_row_, 6), 60); }

void Scheduler::failed(const std::exception& error) {
  ++failures_in_a_row_;
  ++failures_total_;
  last_failure_ = error.what();
  // The first of a streak, then every tenth: a busy store must not flood the log.
  if (failures_in_a_row_ == 1 || failures_in_a_row_ % 10 == 0)
    logger_->error("scheduler sweep failed: {} ({} in a row); trying again", last_failure_, failures_in_a_row_);
}

int Scheduler::sweep() {
  const Timestamp now = clock_();
  int looked_at = 0;
  // Each incident swept leaves its due_at past now (or none), so every batch holds new incidents.
  const auto limit = static_cast<std::size_t>(std::max(1, options_.batch));
  for (;;) {
    const auto due = store::due_incidents(db_, now, static_cast<int>(limit));
    for (const auto number : due) {
      sweep_incident(number, now);
      ++looked_at;
      if (options_.pause_after_each.count() > 0) std::this_thread::sleep_for(options_.pause_after_each);
    }
    if (due.size() < limit) break;
  }
  return looked_at;
}

void Scheduler::stop() {
  stopped_ = true;
  armed_for_.reset();
  timer_.cancel();
}

void Scheduler::sweep_incident(std::int64_t number, Timestamp now) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  const auto incident = store::load_incident(db_, number);
  // Looked at again inside the transaction: another process may have swept it since the query.
  if (!incident || incident->reminders.due_at == 0 || incident->reminders.due_at > now) return;
  const auto profile = profiles_.of(incident->platform);
  auto outcome = workflows::on_deadline(profile->policy, *incident, now);
  Incident& next = *outcome.incident;
  if (next.reminders.due_at != 0 && next.reminders.due_at <= now) {
    logger_->error("{} reminders left due at {}; looked at again in a minute", incident_id(number), next.reminders.due_at);
    next.reminders.due_at = now + 60;
  }
  outcome.changed = true;  // its reminders moved on, whatever else changed
  EffectsWriter effects(db_, *profile);
  effects.save(outcome, &*incident);
  templates::RenderContext context = effects.context(&next, now);
  // The postmortem nudge names the sections still to write.
  std::optional<Postmortem> postmortem;
  if (next.state == State::closed) postmortem = store::load_postmortem(db_, number);
  context.postmortem = postmortem ? &*postmortem : nullptr;
  effects.enqueue_posts(outcome, context, now);
  effects.enqueue_chat_upkeep(&*incident, outcome, now);
  transaction.commit();
  for (const auto& entry : outcome.timeline) logger_->info("{} {}: {}", incident_id(number), entry.kind, entry.text);
}

}  // namespace incident_bot::bot
