#pragma once
// The bot under load as the benchmarks see it: started as a child process, its CPU, threads and memory
// read from /proc.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <boost/asio/ip/tcp.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#ifndef INCIDENT_BOT_BINARY
#error "INCIDENT_BOT_BINARY must name the incident-bot executable (bench/CMakeLists.txt defines it)"
#endif

extern char** environ;

namespace bench {

using steady = std::chrono::steady_clock;

// ---- the bot's process, as /proc sees it ----

// utime + stime (fields 14 and 15 of /proc/<pid>/stat) in seconds; negative when unreadable.
inline double process_cpu_seconds(pid_t pid) {
  std::ifstream file("/proc/" + std::to_string(pid) + "/stat");
  const std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto name_end = text.rfind(')');  // the command name may hold spaces and parentheses
  if (name_end == std::string::npos) return -1;
  std::istringstream fields(text.substr(name_end + 1));
  std::string skipped;
  for (int field = 3; field <= 13; ++field) fields >> skipped;
  unsigned long long user = 0, system = 0;
  if (!(fields >> user >> system)) return -1;
  return static_cast<double>(user + system) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Time the process's threads spent runnable but waiting for a core (field 2 of
// /proc/<pid>/task/*/schedstat): what other work on the machine took from it.
inline double process_runqueue_seconds(pid_t pid) {
  double waited = 0;
  std::error_code ec;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    std::ifstream file(task.path() / "schedstat");
    unsigned long long running = 0, waiting = 0;
    if (file >> running >> waiting) waited += static_cast<double>(waiting) / 1e9;
  }
  return waited;
}

inline int process_threads(pid_t pid) {
  int threads = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec);
       it != std::filesystem::directory_iterator(); ++it)
    ++threads;
  return threads;
}

inline double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Busy CPU seconds of the whole machine, every core (/proc/stat: all but idle and iowait).
inline double machine_busy_seconds() {
  std::ifstream file("/proc/stat");
  std::string label;
  file >> label;  // "cpu": the sum over cores
  unsigned long long value = 0, total = 0, idle = 0;
  for (int column = 0; column < 8 && (file >> value); ++column) {
    total += value;
    if (column == 3 || column == 4) idle += value;
  }
  return static_cast<double>(total - idle) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// The CPU counters at one moment: the bot's, this process's and the machine's.
struct CpuSample {
  static CpuSample take(pid_t bot) {
    return {process_cpu_seconds(bot), own_cpu_seconds(), machine_busy_seconds(), process_runqueue_seconds(bot),
            process_threads(bot)};
  }
  double bot = 0, own = 0, machine = 0, bot_runqueue = 0;
  int bot_threads = 0;
};

struct Memory {
  long rss_kib = -1;   // VmRSS
  long peak_kib = -1;  // VmHWM
};

inline Memory process_memory(pid_t pid) {
  Memory memory;
  std::ifstream file("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(file, line)) {
    if (line.starts_with("VmRSS:")) memory.rss_kib = std::atol(line.c_str() + 6);
    if (line.starts_with("VmHWM:")) memory.peak_kib = std::atol(line.c_str() + 6);
  }
  return memory;
}

// A port nobody listens on right now (the bot binds it a moment later).
inline unsigned short free_port() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// `incident-bot run --config <folder>/bench.json` with a fresh store in <folder>, its log in
// <folder>/bot.log, and no chat credentials from this environment but the ones given: no bot
// token, so nothing is ever delivered outward.
class ChildBot {
 public:
  ChildBot(std::filesystem::path folder, const std::string& config_json, const std::vector<std::string>& secrets)
      : folder_(std::move(folder)) {
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    const auto config_path = folder_ / "bench.json";
    std::ofstream(config_path) << config_json;
    log_ = folder_ / "bot.log";

    std::vector<std::string> environment;
    for (char** entry = environ; *entry; ++entry) {
      const std::string_view variable(*entry);
      if (variable.starts_with("SLACK_") || variable.starts_with("MATTERMOST_") || variable.starts_with("INCIDENT_BOT_"))
        continue;
      environment.emplace_back(variable);
    }
    environment.insert(environment.end(), secrets.begin(), secrets.end());
    std::vector<char*> envp;
    for (auto& variable : environment) envp.push_back(variable.data());
    envp.push_back(nullptr);

    std::string binary = INCIDENT_BOT_BINARY, run = "run", flag = "--config", path = config_path.string();
    char* argv[] = {binary.data(), run.data(), flag.data(), path.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    const int failed = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv, envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (failed) throw std::runtime_error("cannot start " + binary + ": " + std::strerror(failed));
  }
  ChildBot(const ChildBot&) = delete;
  ChildBot& operator=(const ChildBot&) = delete;
  ~ChildBot() {
    if (running()) stop();
  }

  pid_t pid() const { return pid_; }
  std::filesystem::path store_path() const { return folder_ / "bench.db"; }
  const std::filesystem::path& folder() const { return folder_; }

  bool running() {
    if (exited_) return false;
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
    }
    return !exited_;
  }

  // SIGTERM and wait (SIGKILL after 30 s); how it ended, in words.
  std::string stop() {
    if (running()) {
      kill(pid_, SIGTERM);
      const auto deadline = steady::now() + std::chrono::seconds(30);
      while (running() && steady::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      if (running()) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
        exited_ = true;
        return "killed: it did not stop within 30 s of SIGTERM";
      }
    }
    if (WIFEXITED(status_)) return "exit status " + std::to_string(WEXITSTATUS(status_));
    if (WIFSIGNALED(status_)) return std::string("ended by signal ") + strsignal(WTERMSIG(status_));
    return "ended";
  }

  // The log's last lines, for a bot that would not start.
  std::string log_tail(std::size_t lines = 20) const {
    std::ifstream file(log_);
    std::vector<std::string> all;
    for (std::string line; std::getline(file, line);) all.push_back(line);
    std::string tail;
    for (std::size_t i = all.size() > lines ? all.size() - lines : 0; i < all.size(); ++i) tail += "  | " + all[i] + "\n";
    return tail;
  }

 private:
  std::filesystem::path folder_, log_;
  pid_t pid_ = -1;
  bool exited_ = false;
  int status_ = 0;
};

// A config with only what differs from the defaults (layers, cadence … stay as shipped).
inline std::string bot_config(const std::filesystem::path& store, const std::string& listen, const std::string& api_url) {
  return "{\n  \"store\": {\"path\": \"" + store.string() + "\"},\n  \"http\": {\"listen\": \"" + listen +
         "\"},\n  \"slack\": {\"api_url\": \"" + api_url +
         "\"},\n  \"tls\": {\"allow_insecure_urls\": true}\n}\n";  // the stand-ins speak http:// on loopback
}

}  // namespace bench
