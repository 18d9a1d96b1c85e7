// How a declaration scales with the history: stores holding 0, 10,000 and 100,000 past incidents
// (varied titles, five layers, most closed, some declined, some with a postmortem), then declarations
// through the Dispatcher as a chat sends them. Each store is filled in a child process; each round runs
// in another on a fresh copy of it, the stores taking turns so that a busy moment of the machine does
// not fall on one size only, and the peak resident memory is the declaring process's own.
// Arguments, when given, are the sizes to measure: `declare_history_bench 0 300000`.
// The stores live on /dev/shm when there is one: a commit's fsync costs the same at every size and
// would only add disk noise to the comparison.
#include "bot/core/dispatcher.hpp"
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <malloc.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

constexpr Timestamp now = 1'795'000'000;
constexpr int declares_per_round = 300;
constexpr int rounds = 5;  // the fastest round is reported: the others carry the machine's noise
constexpr int warm_up_declares = 20;
constexpr int open_incidents = 20;  // the last ones of a history are still open; the rest closed or declined

// A linear congruential generator: the same histories on every run and platform.
struct Dice {
  std::uint64_t state;
  std::size_t roll(std::size_t sides) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33) % sides;
  }
  template <class Words>
  std::string pick(const Words& words) {
    return words[roll(words.size())];
  }
};

constexpr std::array<const char*, 40> components{
    "checkout", "payments", "login",    "signup",   "search",        "cart",      "catalog",   "pricing",
    "inventory", "shipping", "invoices", "refunds",  "notifications", "email",     "sms",       "push",
    "webhooks", "api",      "gateway",  "dashboard", "reports",      "analytics", "pixel",     "tracking",
    "consent",  "attribution", "campaigns", "ads",   "feeds",         "sitemap",   "cdn",       "images",
    "video",    "recommendations", "reviews", "loyalty", "coupons",  "subscriptions", "billing", "onboarding"};
constexpr std::array<const char*, 30> symptoms{
    "latency", "timeouts", "slow", "spike",  "drop",    "missing",  "duplicate", "stale",   "delayed", "stuck",
    "rejected", "mismatch", "500s", "502s",  "crashes", "leaking",  "throttled", "blocked", "empty",   "wrong",
    "flapping", "degraded", "lost", "expired", "invalid", "unreachable", "dropping", "partial", "intermittent",
    "corrupted"};
constexpr std::array<const char*, 36> contexts{
    "mobile",   "desktop", "iOS",      "Android",  "Safari",   "Chrome",   "Europe",   "us-east-1", "eu-west",
    "APAC",     "deploy",  "release",  "sale",     "Black Friday", "overnight", "weekend", "migration", "cutover",
    "rollout",  "Stripe",  "Adyen",    "PayPal",   "Google",   "Meta",     "TikTok",   "Shopify",  "Cloudflare",
    "Fastly",   "Postgres", "Redis",   "Kafka",    "v2",       "the new theme", "SDK 4.2", "DNS", "TLS"};
constexpr std::array<const char*, 5> layers{"economics", "measurement", "conversion", "delivery", "operations"};

std::string capitalised(std::string word) {
  if (!word.empty() && word[0] >= 'a' && word[0] <= 'z') word[0] = static_cast<char>(word[0] - 'a' + 'A');
  return word;
}

std::string title_from(Dice& dice) {
  const std::string component = dice.pick(components), symptom = dice.pick(symptoms), context = dice.pick(contexts);
  switch (dice.roll(6)) {
    case 0: return capitalised(component) + " " + symptom + " on " + context;
    case 1: return capitalised(component) + " and " + dice.pick(components) + " " + symptom;
    case 2: return capitalised(symptom) + " " + component + " after " + context;
    case 3: return "The " + component + " is " + symptom + " for " + context + " users";
    case 4: return capitalised(component) + " — " + symptom + " since " + context;
    default: return capitalised(component) + " " + symptom;
  }
}

// The whole history in one transaction with prepared inserts; the words index is then built by
// the store's own back-fill, as an upgraded store gets it.
void fill(const std::string& path, int count) {
  const auto start = std::chrono::steady_clock::now();
  auto db = store::open(path);
  SQLite::Transaction transaction(db);
  SQLite::Statement incident(db, R"sql(
      INSERT INTO incidents (number, title, state, severity, is_private, channel, declared_in, detector, owner,
        comms, symptom, scope, layer, confidence, mitigation, next_check, next_check_owner, most_changes_in_flight,
        parallel_change_warnings, update_count, declared_at, last_update_at, resolved_at, closed_at,
        next_update_due, resolution, decline_reason, close_reason, platform)
      VALUES (?1, ?2, ?3, 3, 0, ?4, 'general', 'alice', 'alice', '', 'symptom', 'scope', ?5,
        'medium', '', '', '', 0, 0, 2, ?6, ?6, ?7, ?7, 0, 'restored', ?8, ?9, 'console'))sql");
  SQLite::Statement section(db, "INSERT INTO postmortem_sections (incident, field, text) VALUES (?, ?, ?)");
  const auto add_section = [&](int number, const char* field, const std::string& text) {
    section.bind(1, number);
    section.bind(2, field);
    section.bind(3, text);
    section.exec();
    section.reset();
  };
  Dice dice{static_cast<std::uint64_t>(count) + 17};
  for (int number = 1; number <= count; ++number) {
    const bool open = number > count - open_incidents;
    const bool declined = !open && dice.roll(20) == 0;
    const Timestamp declared_at = now - static_cast<Timestamp>(count - number + 1) * 3600;
    incident.bind(1, number);
    incident.bind(2, title_from(dice));
    incident.bind(3, open ? "investigating" : declined ? "declined" : "closed");
    incident.bind(4, "inc-" + std::to_string(number));
    incident.bind(5, dice.pick(layers));
    incident.bind(6, declared_at);
    incident.bind(7, open ? Timestamp{0} : declared_at + 1800);
    incident.bind(8, declined ? "not an incident" : "");
    incident.bind(9, open || declined ? "" : "resolved");
    incident.exec();
    incident.reset();
    if (!open && !declined && dice.roll(4) == 0) {
      add_section(number, "summary", "what happened, briefly");
      if (dice.roll(3) == 0) add_section(number, "causal_layer", dice.pick(layers));
      add_section(number, "system_change", "a guardrail for " + dice.pick(components));
    }
  }
  store::index_incident_words(db);
  transaction.commit();
  const auto bytes = fs::file_size(path);
  std::printf("  filled %7d past incidents in %6.0f ms (%.1f MiB)\n", count,
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count(),
              static_cast<double>(bytes) / (1024 * 1024));
}

struct Round {
  double seconds = 0;      // for declares_per_round declarations
  double cpu_seconds = 0;  // processor time: less swayed than the clock by other processes on the machine
  long peak_kib = 0;
  int with_family = 0;  // declarations whose reply named a repeat family
};

double cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  const auto seconds = [](const timeval& time) { return static_cast<double>(time.tv_sec) + time.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

long peak_resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmHWM:")) return std::stol(line.substr(6));
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// One round on a fresh copy of the filled store, so that every round starts from the same history.
Round declare_round(const std::string& filled, const std::string& working) {
  // glibc gives the top of the heap back and takes it again as allocations come and go, at points that
  // shift with the store's size; on a virtual machine each time costs a TLB flush and page faults,
  // which swung the figures by half, unrelated to the history. Keeping freed memory steadies them.
  ::mallopt(M_TRIM_THRESHOLD, 256 << 20);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(working + suffix);
  fs::copy_file(filled, working);
  auto db = store::open(working);
  auto quiet = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Dispatcher dispatcher(db, workflows::Policy{}, bot::console_platform(), std::move(quiet));
  Dice dice{4242};
  Timestamp at = now;
  const auto declare = [&] {
    const std::string text = "declare " + title_from(dice) + " layer:" + dice.pick(layers);
    const auto reply = dispatcher.handle({"general", "alice", text, {}}, ++at);
    return reply.text.find("Same family as") != std::string::npos;
  };
  for (int i = 0; i < warm_up_declares; ++i) declare();
  Round round;
  const auto start = std::chrono::steady_clock::now();
  const double cpu_start = cpu_seconds();
  for (int i = 0; i < declares_per_round; ++i) round.with_family += declare() ? 1 : 0;
  round.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  round.cpu_seconds = cpu_seconds() - cpu_start;
  round.peak_kib = peak_resident_kib();
  return round;
}

// Runs `work` in a child process and returns what it wrote, so each phase starts from a clean heap.
template <class Result, class Work>
Result in_child(Work work) {
  std::fflush(stdout);
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) std::perror("pipe");
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_ends[0]);
    const Result result = work();
    std::fflush(stdout);
    if (::write(pipe_ends[1], &result, sizeof result) != static_cast<ssize_t>(sizeof result)) std::perror("write");
    ::_exit(0);
  }
  ::close(pipe_ends[1]);
  Result result{};
  if (::read(pipe_ends[0], &result, sizeof result) != static_cast<ssize_t>(sizeof result))
    std::fprintf(stderr, "a measuring child died\n");
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> histories{0, 10'000, 100'000};
  if (argc > 1) histories.clear();
  for (int i = 1; i < argc; ++i) histories.push_back(std::stoi(argv[i]));
  const fs::path shm = "/dev/shm";
  const fs::path dir = (fs::is_directory(shm) ? shm : fs::temp_directory_path()) /
                       ("incident-bot-declare-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::printf("declarations through the Dispatcher, %d per round, fastest of %d rounds taken in turn across the "
              "stores, in %s\n",
              declares_per_round, rounds, dir.c_str());
  const auto filled = [&](int history) { return (dir / ("history-" + std::to_string(history) + ".db")).string(); };
  for (const int history : histories) {
    in_child<int>([&] {
      fill(filled(history), history);
      return 0;
    });
  }
  std::vector<Round> best(histories.size());
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t i = 0; i < histories.size(); ++i) {
      const auto measured =
          in_child<Round>([&] { return declare_round(filled(histories[i]), (dir / "working.db").string()); });
      if (round == 0 || measured.seconds < best[i].seconds) best[i].seconds = measured.seconds;
      if (round == 0 || measured.cpu_seconds < best[i].cpu_seconds) best[i].cpu_seconds = measured.cpu_seconds;
      best[i].peak_kib = std::max(best[i].peak_kib, measured.peak_kib);
      best[i].with_family = measured.with_family;
    }
  }
  const double first_ms = best.front().seconds * 1000 / declares_per_round;
  const double first_cpu_ms = best.front().cpu_seconds * 1000 / declares_per_round;
  for (std::size_t i = 0; i < histories.size(); ++i) {
    const double ms = best[i].seconds * 1000 / declares_per_round;
    const double cpu_ms = best[i].cpu_seconds * 1000 / declares_per_round;
    std::printf("  %7d past: %.3f s for %d declares, %.3f ms per declare (%.2fx the first store), processor %.3f ms "
                "(%.2fx), peak RSS %.1f MiB, %d of %d named a family\n",
                histories[i], best[i].seconds, declares_per_round, ms, ms / first_ms, cpu_ms, cpu_ms / first_cpu_ms,
                static_cast<double>(best[i].peak_kib) / 1024, best[i].with_family, declares_per_round);
  }
  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}
