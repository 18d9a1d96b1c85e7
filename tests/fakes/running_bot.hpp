#pragma once
// The bot's Runtime on its own thread, on a temporary file store, with a clock the test sets.
#include "bot/app/runtime.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <thread>

namespace incident_bot::fakes {

struct TempDir {
  std::filesystem::path path;
  TempDir();
  ~TempDir();
};

// Socket Mode timings in milliseconds: pings every 50 ms, silence after 2 s, backoff from 20 ms.
bot::SocketModeTuning quick_socket_mode();

class RunningBot {
 public:
  // config.store.path and http.listen are set here: a file under a temporary folder, 127.0.0.1:0.
  // The bot logs to `logger`, or nowhere without one.
  RunningBot(bot::Config config, bot::Secrets secrets, Timestamp start = 1'795'000'000,
             bot::SocketModeTuning socket_mode = quick_socket_mode(), std::shared_ptr<spdlog::logger> logger = nullptr);
  ~RunningBot();

  unsigned short port() const { return runtime_->http_port(); }
  Timestamp now() const { return now_.load(); }
  void advance(Seconds seconds) { now_ += seconds; }
  bot::Runtime& runtime() { return *runtime_; }
  // Runs a function on the bot's thread and waits for it: the store is only touched there.
  void on_bot_thread(const std::function<void()>& work);
  const std::filesystem::path& folder() const { return folder_.path; }

  void stop();
  void start();
  // The exit status once the bot stopped by itself (Runtime::run returned); nullopt after the timeout.
  std::optional<int> wait_for_exit(std::chrono::milliseconds timeout);

 private:
  TempDir folder_;
  bot::Config config_;
  bot::Secrets secrets_;
  std::atomic<Timestamp> now_;
  bot::SocketModeTuning socket_mode_;
  std::shared_ptr<spdlog::logger> logger_;
  std::unique_ptr<bot::Runtime> runtime_;
  std::shared_future<int> exit_status_;
  std::thread thread_;
};

// Another connection to the bot's store file holding the write lock, as a second process might:
// every command fails as when the store stays busy. The bot's wait for the lock is cut to
// `bot_waits` so each failure comes quickly instead of after the store's 5 s.
class StoreWriteLock {
 public:
  explicit StoreWriteLock(RunningBot& bot, std::chrono::milliseconds bot_waits = std::chrono::milliseconds(100));
  void release();  // destruction releases it too

 private:
  SQLite::Database holder_;
  bool held_ = false;
};

}  // namespace incident_bot::fakes
