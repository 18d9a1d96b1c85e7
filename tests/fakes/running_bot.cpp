#include "fakes/running_bot.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/sinks/null_sink.h>

#include <future>
#include <random>

namespace incident_bot::fakes {

TempDir::TempDir()
    : path(std::filesystem::temp_directory_path() / ("incident-bot-test-" + std::to_string(std::random_device{}()))) {
  std::filesystem::create_directories(path);
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path, ignored);
}

bot::SocketModeTuning quick_socket_mode() {
  using std::chrono::milliseconds;
  bot::SocketModeTuning tuning;
  tuning.ping_interval = milliseconds(50);
  tuning.silence_timeout = milliseconds(2'000);
  tuning.hello_timeout = milliseconds(5'000);
  tuning.connect_timeout = milliseconds(5'000);
  tuning.backoff_base = milliseconds(20);
  tuning.backoff_cap = milliseconds(200);
  return tuning;
}

RunningBot::RunningBot(bot::Config config, bot::Secrets secrets, Timestamp start, bot::SocketModeTuning socket_mode,
                       std::shared_ptr<spdlog::logger> logger)
    : config_(std::move(config)), secrets_(std::move(secrets)), now_(start), socket_mode_(socket_mode),
      logger_(logger ? std::move(logger)
                     : std::make_shared<spdlog::logger>("bot", std::make_shared<spdlog::sinks::null_sink_mt>())) {
  config_.store.path = (folder_.path / "bot.db").string();
  config_.http.listen = "127.0.0.1:0";
  this->start();
}

RunningBot::~RunningBot() { stop(); }

void RunningBot::start() {
  bot::RuntimeTuning tuning;  // retries in milliseconds, so a test waits for behaviour, not for backoff
  tuning.slack_retry.base = std::chrono::milliseconds(20);
  tuning.slack_retry.cap = std::chrono::milliseconds(200);
  tuning.slack_retry.max_attempts = 3;
  tuning.mattermost_retry = tuning.slack_retry;
  tuning.socket_mode = socket_mode_;
  runtime_ = std::make_unique<bot::Runtime>(config_, secrets_, logger_, [this] { return now_.load(); }, tuning);
  std::packaged_task<int()> run([this] { return runtime_->run(); });
  exit_status_ = run.get_future().share();
  thread_ = std::thread(std::move(run));
}

void RunningBot::stop() {
  if (!thread_.joinable()) return;
  runtime_->stop();
  thread_.join();
  runtime_.reset();
}

std::optional<int> RunningBot::wait_for_exit(std::chrono::milliseconds timeout) {
  if (!exit_status_.valid() || exit_status_.wait_for(timeout) != std::future_status::ready) return std::nullopt;
  return exit_status_.get();
}

void RunningBot::on_bot_thread(const std::function<void()>& work) {
  std::promise<void> done;
  boost::asio::post(runtime_->io(), [&] {
    try {
      work();
      done.set_value();
    } catch (...) {
      done.set_exception(std::current_exception());
    }
  });
  done.get_future().get();
}

StoreWriteLock::StoreWriteLock(RunningBot& bot, std::chrono::milliseconds bot_waits)
    : holder_((bot.folder() / "bot.db").string(), SQLite::OPEN_READWRITE) {
  bot.on_bot_thread([&] { bot.runtime().db().setBusyTimeout(static_cast<int>(bot_waits.count())); });
  holder_.exec("BEGIN IMMEDIATE");
  held_ = true;
}

void StoreWriteLock::release() {
  if (!held_) return;
  held_ = false;
  holder_.exec("ROLLBACK");
}

}  // namespace incident_bot::fakes
