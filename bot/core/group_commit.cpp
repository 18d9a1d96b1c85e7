#include "bot/core/group_commit.hpp"

#include "store/connection.hpp"

#include <sqlite3.h>

#include <boost/asio/post.hpp>

#include <vector>

namespace incident_bot::bot {

namespace {

// Gathering stops once a turn of the loop brings no new command, or after this long.
constexpr std::chrono::microseconds longest_gathering{2000};

}  // namespace

std::string describe_failure(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& error) {
    return error.what();
  } catch (...) {
    return "an exception of unknown type";
  }
}

GroupCommit::GroupCommit(boost::asio::any_io_executor executor, SQLite::Database& db, BatchLimits limits,
                         std::shared_ptr<spdlog::logger> logger)
    : db_(db), logger_(std::move(logger)), limits_(limits), executor_(executor),
      timer_(std::make_unique<boost::asio::steady_timer>(executor)) {
  if (limits_.max_commands == 0) limits_.max_commands = 1;
}

GroupCommit::GroupCommit(SQLite::Database& db, std::shared_ptr<spdlog::logger> logger)
    : db_(db), logger_(std::move(logger)), limits_{1, std::chrono::milliseconds(0)} {}

GroupCommit::~GroupCommit() { *alive_ = false; }

void GroupCommit::submit(Work work, Done done) {
  queue_.push_back(Job{std::move(work), std::move(done)});
  if (!executor_) {
    flush();
    return;
  }
  schedule();
}

void GroupCommit::schedule() {
  if (flushing_) return;  // the batch being committed looks at the queue again when it is done
  const bool full = queue_.size() >= limits_.max_commands;
  if (scheduled_ && !full) return;
  std::weak_ptr<bool> alive = alive_;
  const auto run = [this, alive] {
    if (alive.expired()) return;
    on_turn();
  };
  if (full || limits_.max_wait.count() == 0) {
    if (scheduled_ && limits_.max_wait.count() > 0) timer_->cancel();
    scheduled_ = true;
    boost::asio::post(*executor_, run);
    return;
  }
  scheduled_ = true;
  timer_->expires_after(limits_.max_wait);
  timer_->async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || alive.expired()) return;
    flush();
  });
}

void GroupCommit::on_turn() {
  scheduled_ = false;
  if (queue_.empty() || flushing_) return;
  if (still_gathering()) {
    // Behind the reads that are ready now: a stream with several commands buffered adds them all.
    scheduled_ = true;
    std::weak_ptr<bool> alive = alive_;
    boost::asio::post(*executor_, [this, alive] {
      if (!alive.expired()) on_turn();
    });
    return;
  }
  flush();
}

bool GroupCommit::still_gathering() {
  const auto now = std::chrono::steady_clock::now();
  if (!gathering_since_) {
    gathering_since_ = now;
    gathered_ = queue_.size();
    return queue_.size() < limits_.max_commands;
  }
  const bool grew = queue_.size() > gathered_;
  gathered_ = queue_.size();
  if (grew && queue_.size() < limits_.max_commands && now - *gathering_since_ < longest_gathering) return true;
  gathering_since_.reset();
  return false;
}

std::exception_ptr GroupCommit::run_in_savepoint(Job& job) {
  store::execute(db_, "SAVEPOINT command");
  try {
    job.work();
    store::execute(db_, "RELEASE command");
    return nullptr;
  } catch (...) {
    const auto failure = std::current_exception();
    try {
      store::execute(db_, "ROLLBACK TO command");
      store::execute(db_, "RELEASE command");
    } catch (...) {  // the transaction itself is gone: the commit below fails and says so to everyone
    }
    return failure;
  }
}

void GroupCommit::flush() {
  scheduled_ = false;
  gathering_since_.reset();
  if (queue_.empty() || flushing_) return;
  flushing_ = true;
  std::vector<Job> batch;
  batch.reserve(std::min(queue_.size(), limits_.max_commands));
  while (!queue_.empty() && batch.size() < limits_.max_commands) {
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  std::vector<std::exception_ptr> outcomes(batch.size());
  try {
    // IMMEDIATE takes the write lock before the first command, so no command fails half-way for a busy store.
    store::execute(db_, "BEGIN IMMEDIATE");
    for (std::size_t i = 0; i < batch.size(); ++i) outcomes[i] = run_in_savepoint(batch[i]);
    store::execute(db_, "COMMIT");
  } catch (...) {
    const auto failure = std::current_exception();
    logger_->error("a batch of {} commands was not committed: {}", batch.size(), describe_failure(failure));
    try {
      if (!db_.getHandle() || sqlite3_get_autocommit(db_.getHandle()) == 0) store::execute(db_, "ROLLBACK");
    } catch (...) {  // nothing was committed either way; every command hears the failure
    }
    for (auto& outcome : outcomes) outcome = failure;
  }
  ++figures_.batches;
  figures_.commands += batch.size();
  figures_.largest = std::max(figures_.largest, batch.size());
  flushing_ = false;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (outcomes[i]) ++figures_.failed;
    batch[i].done(outcomes[i]);
  }
  if (!queue_.empty()) {
    if (executor_) schedule();
    else flush();
  }
}

}  // namespace incident_bot::bot
