#pragma once
// What the load benchmarks share: the real bot started as a child process, its CPU and memory
// read from /proc, the command texts, latency percentiles, the report and the store check.
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

inline double ms_between(steady::time_point from, steady::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

inline std::int64_t wall_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// ---- command line: --name value, --name=value or name=value; flags alone ----

class Arguments {
 public:
  Arguments(int argc, char** argv, std::vector<std::string> flags) {
    for (int i = 1; i < argc; ++i) {
      std::string word = argv[i];
      if (word == "-h" || word == "--help") { help = true; continue; }
      if (word.starts_with("--")) word = word.substr(2);
      const auto equals = word.find('=');
      if (equals != std::string::npos) { values_[word.substr(0, equals)] = word.substr(equals + 1); continue; }
      if (std::find(flags.begin(), flags.end(), word) != flags.end()) { values_[word] = "1"; continue; }
      if (i + 1 < argc) { values_[word] = argv[++i]; continue; }
      problem = "--" + word + " needs a value";
    }
  }
  std::string text(const std::string& name, std::string fallback) {
    const auto found = values_.find(name);
    if (found == values_.end()) return fallback;
    std::string value = found->second;
    values_.erase(found);
    return value;
  }
  double number(const std::string& name, double fallback) {
    const std::string value = text(name, "");
    if (value.empty()) return fallback;
    char* end = nullptr;
    const double parsed = std::strtod(value.c_str(), &end);
    if (end == value.c_str() || *end != '\0' || parsed < 0) {
      problem = "--" + name + " expects a non-negative number, got '" + value + "'";
      return fallback;
    }
    return parsed;
  }
  bool flag(const std::string& name) { return text(name, "") == "1"; }
  // After every known name was taken: whatever is left is a mistake.
  std::string leftover() const {
    if (!problem.empty()) return problem;
    if (!values_.empty()) return "unknown argument --" + values_.begin()->first;
    return {};
  }
  bool help = false;
  std::string problem;

 private:
  std::map<std::string, std::string> values_;
};

// ---- what the commands say ----

enum class Verb { note, declare };

inline const char* verb_name(Verb verb) { return verb == Verb::note ? "note" : "declare"; }

inline std::optional<Verb> parse_verb(const std::string& text) {
  if (text == "note") return Verb::note;
  if (text == "declare") return Verb::declare;
  return std::nullopt;
}

// The incident every note addresses; declared before the load starts.
inline constexpr const char* setup_declare = "declare Checkout latency benchmark sev3 layer:delivery";

// Realistic text: a note or (every 10th) an evidence-led update on INC-1, or a new incident per
// declare, in one of the configured (default) layers.
inline std::string command_text(Verb verb, std::int64_t sequence, int client) {
  const std::string i = std::to_string(sequence), c = std::to_string(client);
  if (verb == Verb::declare) return "declare Checkout latency " + i + " on " + c + " sev3 layer:delivery";
  if (sequence % 10 == 0)
    return "INC-1 update checkout p99 climbing, check " + i + " from client " + c + " | scope: bench | confidence: low";
  return "INC-1 note check " + i + " from client " + c;
}

// Every delivery id the load sends starts with this: "slack:command:" + trigger_id.
inline std::string trigger_id(std::int64_t sequence) { return "bench-" + std::to_string(sequence); }

// The fields Slack sends with a slash command, form-encoded by the caller.
inline std::vector<std::pair<std::string, std::string>> slash_command_fields(const std::string& text,
                                                                           const std::string& trigger) {
  return {{"token", "bench-verification-token"},
          {"team_id", "T0BENCH"},
          {"team_domain", "bench"},
          {"channel_id", "C0BENCH"},
          {"channel_name", "bench"},
          {"user_id", "U0BENCH"},
          {"user_name", "bench"},
          {"command", "/incident"},
          {"text", text},
          {"api_app_id", "A0BENCH"},
          {"is_enterprise_install", "false"},
          {"response_url", "https://hooks.slack.com/commands/T0BENCH/1/" + trigger},
          {"trigger_id", trigger}};
}

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
         "\"},\n  \"slack\": {\"api_url\": \"" + api_url + "\"}\n}\n";
}

// ---- what the store holds once the bot has stopped ----

struct StoreCheck {
  long long held = -1;          // timeline note/update rows of INC-1, or incidents declared by the load
  long long delivery_ids = -1;  // recorded answers of the load's trigger ids
  std::string what;
  std::string problem;
};

inline StoreCheck check_store(const std::filesystem::path& path, Verb verb) {
  StoreCheck check;
  check.what = verb == Verb::note ? "note/update rows in INC-1's timeline" : "incidents titled 'Checkout latency …'";
  try {
    SQLite::Database db(path.string(), SQLite::OPEN_READONLY);
    SQLite::Statement held(db, verb == Verb::note
                                   ? "SELECT COUNT(*) FROM timeline WHERE incident = 1 AND kind IN ('note', 'update')"
                                   : "SELECT COUNT(*) FROM incidents WHERE title LIKE 'Checkout latency % on %'");
    if (held.executeStep()) check.held = held.getColumn(0).getInt64();
    SQLite::Statement ids(db, "SELECT COUNT(*) FROM deliveries WHERE delivery_id LIKE 'slack:command:bench-%'");
    if (ids.executeStep()) check.delivery_ids = ids.getColumn(0).getInt64();
  } catch (const std::exception& failure) {
    check.problem = failure.what();
  }
  return check;
}

// ---- the disk under the store ----

// fsync after appending 4 KiB, as a WAL commit with synchronous=FULL does: its latency bounds a
// store that commits one command at a time to about 1000 / p50 commands/s.
inline std::vector<double> fsync_probe(const std::filesystem::path& folder, int rounds = 100) {
  std::filesystem::create_directories(folder);
  const auto path = folder / "fsync-probe";
  std::vector<double> latencies_ms;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return latencies_ms;
  const std::string page(4096, 'x');
  for (int i = 0; i < rounds; ++i) {
    if (::write(fd, page.data(), page.size()) != static_cast<ssize_t>(page.size())) break;
    const auto before = steady::now();
    if (::fsync(fd) != 0) break;
    latencies_ms.push_back(ms_between(before, steady::now()));
  }
  ::close(fd);
  std::filesystem::remove(path);
  return latencies_ms;
}

// ---- one measured run ----

struct Percentiles {
  explicit Percentiles(std::vector<double> values) : sorted(std::move(values)) { std::sort(sorted.begin(), sorted.end()); }
  // Nearest rank: the smallest value with at least p of all values at or below it.
  double at(double p) const {
    if (sorted.empty()) return std::nan("");
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
  }
  double max() const { return sorted.empty() ? std::nan("") : sorted.back(); }
  std::vector<double> sorted;
};

struct Phase {
  // Set before the run.
  std::string transport;      // "HTTP" or "Socket Mode"
  std::string concurrency;    // "64 connections" or "1 connection, window 64"
  double offered_rate = 0;    // 0: closed loop
  double window_seconds = 0;  // the measured window, after the warm-up
  double warmup_seconds = 1;

  // Counted by the load.
  std::string failure_label = "non-200";  // what a failed answer is called on this transport
  long long acked_in_window = 0;  // 200s (acks) that arrived inside the window
  long long acked_total = 0;      // every 200 (ack) of the run, warm-up and drain included
  long long non_200 = 0;
  long long connection_errors = 0;
  long long unanswered = 0;       // sent but never answered before the drain deadline
  std::vector<double> latencies_ms;
  std::vector<long long> acks_each_second;  // of the window: a throughput that drifts shows here
  std::vector<double> send_lag_ms;  // open loop: how far behind its schedule each send went out

  // Sampled at the window's edges.
  double bot_cpu_seconds = 0;
  double own_cpu_seconds = 0;
  double other_cpu_seconds = 0;  // the rest of the machine: other work sharing the cores
  double bot_runqueue_seconds = 0;  // the bot runnable, waiting for a core
  int bot_threads = 0;
  Memory memory;
  pid_t bot_pid = -1;
  std::string bot_ended;
  StoreCheck store;
  long long setup_acks = 0;  // the declare a note run starts with

  void measured(const CpuSample& from, const CpuSample& until) {
    bot_cpu_seconds = until.bot - from.bot;
    own_cpu_seconds = until.own - from.own;
    other_cpu_seconds = std::max(0.0, (until.machine - from.machine) - bot_cpu_seconds - own_cpu_seconds);
    bot_runqueue_seconds = until.bot_runqueue - from.bot_runqueue;
    bot_threads = until.bot_threads;
  }
  // An ack that arrived `since` the window opened.
  void count_ack(std::chrono::nanoseconds since) {
    const auto second = static_cast<std::size_t>(since.count() / 1'000'000'000);
    if (acks_each_second.size() <= second) acks_each_second.resize(second + 1);
    ++acks_each_second[second];
  }
  double acks_per_second() const { return window_seconds > 0 ? acked_in_window / window_seconds : 0; }
  bool store_matches() const { return store.problem.empty() && store.held == acked_total; }
  bool clean() const { return non_200 == 0 && connection_errors == 0 && unanswered == 0 && store_matches(); }
};

inline void print_phase(const Phase& phase, Verb verb) {
  std::printf("\n== %s %s, %s, %s, %.0f s measured after %.0f s warm-up\n", phase.transport.c_str(), verb_name(verb),
              phase.concurrency.c_str(),
              phase.offered_rate > 0 ? ("open loop at " + std::to_string(static_cast<long>(std::lround(phase.offered_rate))) +
                                        " commands/s")
                                           .c_str()
                                     : "closed loop (saturation)",
              phase.window_seconds, phase.warmup_seconds);
  std::printf("acks/s               %.1f\n", phase.acks_per_second());
  std::printf("acknowledged         %lld in the window, %lld in the whole run\n", phase.acked_in_window, phase.acked_total);
  std::printf("acks in each second  ");
  for (const auto count : phase.acks_each_second) std::printf(" %lld", count);
  std::printf("\n");
  std::printf("%-20s %lld   (connection errors %lld, unanswered %lld)\n", phase.failure_label.c_str(), phase.non_200,
              phase.connection_errors, phase.unanswered);
  const Percentiles latency(phase.latencies_ms);
  std::printf("ack latency ms       p50 %.2f  p90 %.2f  p99 %.2f  max %.2f   (%zu samples%s)\n", latency.at(0.50),
              latency.at(0.90), latency.at(0.99), latency.max(), latency.sorted.size(),
              phase.offered_rate > 0 ? ", from each command's scheduled send time" : "");
  if (phase.offered_rate > 0) {
    const Percentiles lag(phase.send_lag_ms);
    std::printf("send behind schedule p50 %.2f  p99 %.2f  max %.2f ms\n", lag.at(0.50), lag.at(0.99), lag.max());
  }
  const double per_thousand = phase.acked_in_window > 0 ? 1000.0 * phase.bot_cpu_seconds / phase.acked_in_window : 0;
  std::printf("bot CPU              %.3f s per 1,000 commands   (%.2f s in the window, %.0f%% of one core; pid %d)\n",
              per_thousand, phase.bot_cpu_seconds, 100.0 * phase.bot_cpu_seconds / phase.window_seconds, phase.bot_pid);
  if (phase.bot_threads == 1)
    std::printf("bot's one thread     on a core %.2f s, waiting for a core %.2f s, off cores (I/O such as fsync, or idle) %.2f s\n",
                phase.bot_cpu_seconds, phase.bot_runqueue_seconds,
                std::max(0.0, phase.window_seconds - phase.bot_cpu_seconds - phase.bot_runqueue_seconds));
  else
    std::printf("bot's %d threads     waited for a core %.2f s in all\n", phase.bot_threads, phase.bot_runqueue_seconds);
  std::printf("bot RSS              %.1f MiB now, %.1f MiB peak (VmRSS, VmHWM at the end)\n", phase.memory.rss_kib / 1024.0,
              phase.memory.peak_kib / 1024.0);
  const double own_per_thousand = phase.acked_in_window > 0 ? 1000.0 * phase.own_cpu_seconds / phase.acked_in_window : 0;
  std::printf("load generator CPU   %.3f s per 1,000 commands   (one thread, %.0f%% of one core)\n", own_per_thousand,
              100.0 * phase.own_cpu_seconds / phase.window_seconds);
  std::printf("other processes CPU  %.2f s in the window (%.0f%% of one core, of %ld cores): other work sharing the machine\n",
              phase.other_cpu_seconds, 100.0 * phase.other_cpu_seconds / phase.window_seconds, sysconf(_SC_NPROCESSORS_ONLN));
  std::printf("bot stopped          %s\n", phase.bot_ended.c_str());
  if (!phase.store.problem.empty())
    std::printf("store check          FAILED: %s\n", phase.store.problem.c_str());
  else
    std::printf("store holds %lld of %lld acknowledged (%s; %lld delivery ids)%s\n", phase.store.held, phase.acked_total,
                phase.store.what.c_str(), phase.store.delivery_ids, phase.store_matches() ? "" : "   <-- MISMATCH");
  std::fflush(stdout);
}

inline void print_fsync_probe(const std::filesystem::path& folder) {
  const Percentiles fsyncs(fsync_probe(folder));
  std::filesystem::remove_all(folder);
  std::printf("fsync on the store's file system: p50 %.2f  p90 %.2f  max %.2f ms (%zu appends of 4 KiB); "
              "one per commit allows about %.0f commits/s\n",
              fsyncs.at(0.5), fsyncs.at(0.9), fsyncs.max(), fsyncs.sorted.size(), 1000.0 / fsyncs.at(0.5));
  std::fflush(stdout);
}

}  // namespace bench
