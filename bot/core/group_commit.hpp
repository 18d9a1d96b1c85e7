#pragma once
// Group commit: commands that arrive while the loop is busy share one durable transaction, each in its own
// savepoint, so one fsync acknowledges many. Nobody is answered before the transaction holding it commits.
#include <SQLiteCpp/Database.h>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace incident_bot::bot {

struct BatchLimits {
  std::size_t max_commands = 256;           // a batch holds at most this many commands
  std::chrono::milliseconds max_wait{0};    // how long a batch waits for company; 0: it starts when the loop is free
};

struct BatchFigures {
  std::uint64_t batches = 0;
  std::uint64_t commands = 0;
  std::uint64_t failed = 0;  // commands rolled back alone, or lost with a commit that failed
  std::size_t largest = 0;
};

// What a Done callback's failure says, for a log line or an answer.
std::string describe_failure(const std::exception_ptr& failure);

class GroupCommit {
 public:
  using Work = std::function<void()>;                    // runs inside the batch's transaction, in its own savepoint
  using Done = std::function<void(std::exception_ptr)>;  // after the commit: null when the work is durable

  // Batches on the executor's loop.
  GroupCommit(boost::asio::any_io_executor executor, SQLite::Database& db, BatchLimits limits,
              std::shared_ptr<spdlog::logger> logger);
  // Without a loop (the console, the command line, unit tests): each submit commits before it returns.
  GroupCommit(SQLite::Database& db, std::shared_ptr<spdlog::logger> logger);
  ~GroupCommit();

  // `work` may throw: it is then rolled back alone and `done` gets its exception; the batch goes on.
  void submit(Work work, Done done);
  // Commits what is queued now, up to max_commands.
  void flush();

  const BatchFigures& figures() const { return figures_; }

 private:
  struct Job {
    Work work;
    Done done;
  };
  void schedule();
  // The loop's turn: keeps gathering while each turn brings more commands, then commits.
  void on_turn();
  bool still_gathering();
  std::exception_ptr run_in_savepoint(Job& job);

  SQLite::Database& db_;
  std::shared_ptr<spdlog::logger> logger_;
  BatchLimits limits_;
  std::optional<boost::asio::any_io_executor> executor_;
  std::unique_ptr<boost::asio::steady_timer> timer_;
  std::deque<Job> queue_;
  bool scheduled_ = false;
  std::optional<std::chrono::steady_clock::time_point> gathering_since_;
  std::size_t gathered_ = 0;
  bool flushing_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  BatchFigures figures_;
};

}  // namespace incident_bot::bot
