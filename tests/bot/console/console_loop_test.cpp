#include "bot/console/console_loop.hpp"

#include "bot/app/wall_clock.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

constexpr Seconds minutes = 60;
constexpr Seconds hours = 3600;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("incident-bot-console-loop-" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

// One start of the console on the store at `path`, its clock reading `now`; returns what it printed.
std::string start(const std::string& path, Timestamp now, const std::string& script) {
  auto db = store::open(path);
  boost::asio::io_context io;
  bot::Dispatcher dispatcher(db, workflows::Policy{}, bot::PlatformTraits{}, quiet());
  bot::Console console(db, dispatcher, bot::ConsoleOptions{"alice", "general", false}, [now] { return now; });
  bot::Scheduler scheduler(io, db, workflows::Policy{}, [now] { return now; }, quiet());
  std::istringstream in(script);
  std::ostringstream out;
  CHECK(bot::run_console(io, console, scheduler, in, out) == 0);
  return out.str();
}

int count(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
  db.setBusyTimeout(5000);
  return db.execAndGet(sql).getInt();
}

int bot_entries(const std::string& path) { return count(path, "SELECT count(*) FROM timeline WHERE actor = ''"); }

}  // namespace

TEST_CASE("the console handles every line read, then ends at the end of input") {
  TempDir dir;
  const std::string path = (dir.path / "bot.db").string();
  const Timestamp t0 = 1'795'000'000;
  const std::string out = start(path, t0, "/incident declare Checkout down\n/incident INC-1 role comms @bob\n");
  CHECK_THAT(out, Catch::Contains("INC-1 declared: Checkout down"));
  CHECK_THAT(out, Catch::Contains("@bob is now comms lead"));
  CHECK(bot_entries(path) == 0);
}

TEST_CASE("cadence, snooze and the card through the console") {
  TempDir dir;
  const std::string path = (dir.path / "bot.db").string();
  const Timestamp t0 = 1'795'000'000;
  start(path, t0, "/incident declare Checkout down\n/incident INC-1 role comms @bob\n/incident INC-1 cadence 2h\n");
  start(path, t0 + 2 * hours, "");  // the first reminder
  const std::string out = start(path, t0 + 2 * hours + 5 * minutes,
                                "/incident INC-1 snooze 30m vendor call\n/incident INC-1 status\n/incident INC-1 timeline\n");
  CHECK_THAT(out, Catch::Contains("INC-1 reminders snoozed until 2026-11-18 13:41 UTC+00:00: vendor call."));
  CHECK_THAT(out, Catch::Contains("Next update due: 2026-11-18 13:06 UTC+00:00 (overdue by 5m)"));
  CHECK_THAT(out, Catch::Contains("Cadence: own cadence 2h · update reminders sent: 1 · reminders snoozed until"));
  CHECK_THAT(out, Catch::Contains("· @alice · cadence · Cadence 2h (was 6h)"));
  CHECK_THAT(out, Catch::Contains("· bot · reminder · Update reminder to @bob: due 2026-11-18 13:06 UTC+00:00"));
  CHECK_THAT(out, Catch::Contains("· @alice · snooze · Reminders snoozed for 30m, until 2026-11-18 13:41 UTC+00:00: vendor call"));
}

TEST_CASE("a reminder due while the bot was down is sent once at the next start, and never again") {
  TempDir dir;
  const std::string path = (dir.path / "bot.db").string();
  const Timestamp t0 = 1'795'000'000;
  start(path, t0, "/incident declare Checkout down\n/incident INC-1 role comms @bob\n");

  // Down for a day: the deadline and both escalations passed; one reminder, the latest step.
  const std::string after_downtime = start(path, t0 + 24 * hours, "");
  CHECK_THAT(after_downtime, Catch::Contains("INC-1 update overdue by 18h"));
  CHECK(bot_entries(path) == 1);
  CHECK(count(path, "SELECT count(*) FROM outbox WHERE kind = 'reminder'") == 1);

  const std::string again = start(path, t0 + 25 * hours, "");
  CHECK(again.find("overdue") == std::string::npos);
  CHECK(bot_entries(path) == 1);
}

TEST_CASE("a reminder prints while the console waits for input, and end of input exits 0") {
  TempDir dir;
  const fs::path config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << (dir.path / "bot.db").string()
                        << R"(" }, "cadence": { "default": "1s" }, "reminders": { "comms_lead_after": "1h" } })";
  int input[2];
  int output[2];
  REQUIRE(::pipe(input) == 0);
  REQUIRE(::pipe(output) == 0);
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(input[0], STDIN_FILENO);
    ::dup2(output[1], STDOUT_FILENO);
    ::close(input[1]);
    ::close(output[0]);
    ::execl(INCIDENT_BOT_EXE, INCIDENT_BOT_EXE, "console", "--config", config.c_str(), "--as", "alice",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(input[0]);
  ::close(output[1]);
  const std::string declare = "/incident declare Checkout down\n";
  REQUIRE(::write(input[1], declare.data(), declare.size()) == static_cast<ssize_t>(declare.size()));

  // Standard input stays open: the reminder can only come from the scheduler's timer.
  std::string printed;
  for (int waited = 0; waited < 300 && printed.find("needs a status update") == std::string::npos; ++waited) {
    pollfd readable{output[0], POLLIN, 0};
    if (::poll(&readable, 1, 100) <= 0) continue;
    char buffer[4096];
    const ssize_t got = ::read(output[0], buffer, sizeof buffer);
    if (got <= 0) break;
    printed.append(buffer, static_cast<std::size_t>(got));
  }
  ::close(input[1]);
  char buffer[4096];
  while (::read(output[0], buffer, sizeof buffer) > 0) {
  }
  ::close(output[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  CHECK_THAT(printed, Catch::Contains("@alice INC-1 needs a status update"));
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("killed with SIGKILL in the middle of a sweep, restarted: one reminder per due incident") {
  TempDir dir;
  const std::string path = (dir.path / "data" / "bot.db").string();
  const fs::path config = dir.path / "bot.json";
  std::ofstream(config) << R"({ "store": { "path": ")" << path << R"(" } })";

  // Three incidents whose update fell due 20 minutes ago by the real clock: the owner step is due.
  const Timestamp declared_at = bot::now_utc() - 6 * hours - 20 * minutes;
  {
    auto db = store::open(path);
    bot::Dispatcher dispatcher(db, workflows::Policy{}, bot::PlatformTraits{}, quiet());
    for (int i = 1; i <= 3; ++i) {
      dispatcher.handle({"general", "alice", "declare Incident " + std::to_string(i), {}}, declared_at);
      dispatcher.handle({"general", "alice", "INC-" + std::to_string(i) + " role comms @bob", {}}, declared_at);
    }
  }

  // The child pauses 3 s after each incident's commit (INCIDENT_BOT_SWEEP_PAUSE_MS); its standard
  // input stays open, so it waits for commands once the sweep is over.
  int input[2];
  REQUIRE(::pipe(input) == 0);
  const std::string log = (dir.path / "child.txt").string();
  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    ::dup2(input[0], STDIN_FILENO);
    ::close(input[1]);
    const int output = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(output, STDOUT_FILENO);
    ::dup2(output, STDERR_FILENO);
    ::setenv("INCIDENT_BOT_SWEEP_PAUSE_MS", "3000", 1);
    ::execl(INCIDENT_BOT_EXE, INCIDENT_BOT_EXE, "console", "--config", config.c_str(), "--as", "alice",
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(input[0]);

  // Killed as soon as the first incident's reminder has committed: the others are mid-sweep.
  int committed = 0;
  for (int tries = 0; tries < 600 && committed == 0; ++tries) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    committed = bot_entries(path);
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ::close(input[1]);
  REQUIRE(WIFSIGNALED(status));
  REQUIRE(committed >= 1);
  CHECK(bot_entries(path) < 3);  // the kill landed before the sweep was over

  // Restarted without the pause and with nothing to read: the rest are sent, none twice.
  const std::string command = std::string(INCIDENT_BOT_EXE) + " console --config " + config.string() +
                              " --as alice < /dev/null > " + log + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  for (int i = 1; i <= 3; ++i) {
    INFO("INC-" << i);
    const std::string incident = " AND incident = " + std::to_string(i);
    CHECK(count(path, "SELECT count(*) FROM timeline WHERE actor = ''" + incident) == 1);
    CHECK(count(path, "SELECT count(*) FROM timeline WHERE kind = 'escalation'" + incident) == 1);
    CHECK(count(path, "SELECT count(*) FROM outbox WHERE kind = 'reminder'" + incident) == 1);
  }
}
