#pragma once
// One timer at the earliest deadline in the store. When it fires, a sweep sends every reminder due,
// each incident in its own transaction: its reminders, timeline entries and outbox rows commit
// together, so a crash mid-sweep leaves each incident either done once or still due.
#include "bot/core/chat_profile.hpp"
#include "workflows/policy.hpp"

#include <SQLiteCpp/Database.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace incident_bot::bot {

struct SchedulerOptions {
  int batch = 500;        // incidents read per index query
  Seconds longest_wait = 300;  // wakes at least this often, so a wall clock that jumped is noticed
  // Test hook (INCIDENT_BOT_SWEEP_PAUSE_MS): a pause after each incident's commit, so that a test
  // can kill the process between two incidents of one sweep. Zero in normal use.
  std::chrono::milliseconds pause_after_each{0};
};

// Reads INCIDENT_BOT_SWEEP_PAUSE_MS; the defaults otherwise.
SchedulerOptions scheduler_options_from_environment();

class Scheduler {
 public:
  using Clock = std::function<Timestamp()>;
  Scheduler(boost::asio::io_context& io, SQLite::Database& db, workflows::Policy policy, Clock clock,
            std::shared_ptr<spdlog::logger> logger, SchedulerOptions options = {});

  // Arms the timer at the earliest due time in the store (at once when it has passed). Call it
  // after every command: an update, a snooze or a new incident may move the earliest deadline.
  void rearm();
  // Sends everything due now; returns how many incidents were looked at. rearm() is not called.
  int sweep();
  // Cancels the timer; rearm() does nothing afterwards.
  void stop();
  // The profile of one chat: its incidents' reminders follow its policy and render with its templates.
  // Incidents of a chat without one use the policy given at construction and the built-in templates.
  void use_profile(std::shared_ptr<const ChatProfile> profile) { profiles_.add(std::move(profile)); }
  // Called after each sweep the timer started, e.g. to print the console's posts.
  void on_swept(std::function<void()> callback) { on_swept_ = std::move(callback); }
  // The due time the timer is armed for; nullopt when nothing is scheduled.
  std::optional<Timestamp> armed_for() const { return armed_for_; }
  // Whether the last sweep (or the look for the next deadline) failed, and why; a failure is
  // retried with a capped backoff, never fatal.
  bool failing() const { return failures_in_a_row_ > 0; }
  const std::string& last_failure() const { return last_failure_; }
  long failures_total() const { return failures_total_; }

 private:
  void sweep_incident(std::int64_t number, Timestamp now);
  void arm_after(Seconds wait);
  void failed(const std::exception& error);
  Seconds retry_wait() const;

  boost::asio::steady_timer timer_;
  SQLite::Database& db_;
  ChatProfiles profiles_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  SchedulerOptions options_;
  std::function<void()> on_swept_;
  std::optional<Timestamp> armed_for_;
  bool stopped_ = false;
  int failures_in_a_row_ = 0;
  long failures_total_ = 0;
  std::string last_failure_;
};

}  // namespace incident_bot::bot
