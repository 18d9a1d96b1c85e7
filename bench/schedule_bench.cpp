// How the scheduler scales: 100,000 open incidents in a file store; the time to find what is due
// (through the index), the time to send a batch, and the resident memory of a running scheduler.
// Each measurement runs in a fresh child process so the figures are not skewed by the loading.
#include "bot/core/scheduler.hpp"
#include "store/store.hpp"
#include "workflows/reminders.hpp"

#include <SQLiteCpp/Transaction.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

constexpr Timestamp now = 1'795'000'000;
constexpr int due_count = 1000;  // incidents whose reminder is due now, the same in every store

long resident_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
  return -1;
}

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

// Runs `work` in a child process and waits for it, so each phase starts from a clean heap.
template <class Work>
void in_child(Work work) {
  std::fflush(stdout);
  const pid_t child = ::fork();
  if (child == 0) {
    work();
    std::fflush(stdout);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
}

void load(const std::string& path, int count) {
  static_assert(due_count > 0);
  workflows::Policy policy;
  auto db = store::open(path);
  const auto start = std::chrono::steady_clock::now();
  SQLite::Transaction transaction(db);
  for (int number = 1; number <= count; ++number) {
    Incident incident;
    incident.number = number;
    incident.title = "Incident " + std::to_string(number);
    incident.state = State::investigating;
    incident.channel = "inc-" + std::to_string(number);
    incident.declared_in = "general";
    incident.platform = "console";
    incident.detector = incident.owner = "alice";
    incident.comms = "bob";
    incident.declared_at = now - 3600;
    // Deadlines spread over the next six hours; due_count of them, spread out, passed a minute ago.
    const bool due = number % (count / due_count) == 0;
    incident.next_update_due = due ? now - 60 : now + 60 + (number * 7919) % (6 * 3600);
    workflows::after_command(policy, nullptr, incident, now);
    store::save_incident(db, incident);
  }
  transaction.commit();
  std::printf("loaded %d open incidents in %.0f ms\n", count, milliseconds_since(start));
}

void measure(const std::string& path, int count) {
  auto db = store::open(path);
  boost::asio::io_context io;
  auto logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Scheduler scheduler(io, db, workflows::Policy{}, [] { return now; }, logger);

  std::vector<double> finds;
  std::size_t found = 0;
  for (int round = 0; round < 50; ++round) {
    const auto start = std::chrono::steady_clock::now();
    const auto earliest = store::earliest_due(db);
    const auto due = store::due_incidents(db, now, 500);
    finds.push_back(milliseconds_since(start));
    found = due.size() + (earliest ? 0 : 1);
  }
  std::sort(finds.begin(), finds.end());
  std::printf("%6d incidents: earliest due + first batch of due (%zu ids): median %.3f ms, worst %.3f ms\n", count,
              found, finds[finds.size() / 2], finds.back());

  const long before_sweep = resident_kib();
  const auto start = std::chrono::steady_clock::now();
  const int swept = scheduler.sweep();
  const double sweep_ms = milliseconds_since(start);
  scheduler.rearm();
  io.poll();
  std::printf("%6d incidents: sweep of %d due incidents (one transaction each) in %.1f ms, %.3f ms per incident\n",
              count, swept, sweep_ms, swept ? sweep_ms / swept : 0.0);
  std::printf("%6d incidents: VmRSS %ld KiB before the sweep, %ld KiB with the scheduler armed after it\n", count,
              before_sweep, resident_kib());
}

}  // namespace

int main(int argc, char** argv) {
  const int largest = argc > 1 ? std::atoi(argv[1]) : 100'000;
  const fs::path dir = fs::temp_directory_path() / ("incident-bot-schedule-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  {
    auto db = store::open((dir / "plan.db").string());
    std::printf("EXPLAIN QUERY PLAN of due_incidents:\n");
    for (const auto& step : store::due_incidents_plan(db)) std::printf("  %s\n", step.c_str());
  }
  // Memory must not grow per incident: a store a tenth the size, the same sweep, the same figure.
  for (const int count : {largest / 10, largest}) {
    const std::string path = (dir / ("bench-" + std::to_string(count) + ".db")).string();
    in_child([&] { load(path, count); });
    in_child([&] { measure(path, count); });
  }
  fs::remove_all(dir);
  return 0;
}
