#pragma once
// What the load benchmarks share: the command texts, the command line, latency percentiles, the
// report, the store check and the saturation-then-half run (the bot's process is bot_process.hpp).
#include "bot_process.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace bench {


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

// ---- the programs' shared shape ----

struct LoadOptions {
  Verb verb = Verb::note;
  int width = 64;  // connections over HTTP, the window of unacknowledged envelopes over Socket Mode
  double seconds = 10;
  double rate = 0;  // 0: closed loop
  bool half = false;
};

// --verb, --<width_name>, --seconds, --rate, --half; an exit code once usage or a problem is printed.
inline std::variant<LoadOptions, int> parse_load_options(int argc, char** argv, const char* program,
                                                         const std::string& width_name, const char* usage) {
  Arguments arguments(argc, argv, {"half"});
  LoadOptions options;
  const std::string verb_text = arguments.text("verb", "note");
  options.width = static_cast<int>(arguments.number(width_name, 64));
  options.seconds = arguments.number("seconds", 10);
  options.rate = arguments.number("rate", 0);
  options.half = arguments.flag("half");
  const auto verb = parse_verb(verb_text);
  std::string problem = arguments.leftover();
  if (problem.empty() && !verb) problem = "--verb is note or declare, got '" + verb_text + "'";
  if (problem.empty() && (options.width < 1 || options.seconds <= 0))
    problem = "--" + width_name + " and --seconds must be positive";
  if (problem.empty() && options.half && options.rate > 0) problem = "--half finds the rate itself; leave --rate out";
  if (arguments.help || !problem.empty()) {
    if (!problem.empty()) std::fprintf(stderr, "%s: %s\n\n", program, problem.c_str());
    std::fputs(usage, arguments.help ? stdout : stderr);
    return arguments.help ? 0 : 2;
  }
  options.verb = *verb;
  return options;
}

// The fsync probe, the run at options.rate (saturation when 0) and, with --half, one at half the rate it
// reached; 0 when every command was answered and stored, else 1.
inline int run_load(const char* program, const LoadOptions& options, const std::function<Phase(double rate)>& run_phase) {
  try {
    print_fsync_probe(std::filesystem::temp_directory_path() /
                      (std::string(program) + "-probe-" + std::to_string(getpid())));
    const Phase first = run_phase(options.rate);
    print_phase(first, options.verb);
    bool clean = first.clean();
    if (options.half) {
      const double half_rate = first.acks_per_second() / 2;
      if (half_rate < 1) throw std::runtime_error("saturation was under 2 commands/s: no half-load run");
      const Phase second = run_phase(half_rate);
      print_phase(second, options.verb);
      clean = clean && second.clean();
      std::printf("\nsaturation %.1f acks/s (p99 %.2f ms); at half, %.1f acks/s (p99 %.2f ms)\n", first.acks_per_second(),
                  Percentiles(first.latencies_ms).at(0.99), second.acks_per_second(),
                  Percentiles(second.latencies_ms).at(0.99));
    }
    return clean ? 0 : 1;
  } catch (const std::exception& failure) {
    std::fprintf(stderr, "%s: %s\n", program, failure.what());
    return 1;
  }
}

}  // namespace bench
