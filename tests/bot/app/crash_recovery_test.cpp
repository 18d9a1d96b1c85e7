// The bot killed with SIGKILL again and again under a load of signed slash commands, restarted on
// the same store each time: no acknowledged command is lost or stored twice, every outbox row is
// posted once, and every reminder that falls due is sent once.
#include "bot/app/wall_clock.hpp"
#include "fakes/child_bot.hpp"
#include "fakes/delivery_worlds.hpp"
#include "fakes/http_caller.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

constexpr int commands_in_all = 10'000;
constexpr int incidents = 12;
constexpr int reminded = 4;  // INC-1..INC-4: one update promising the next within 2 s, then notes only
constexpr int senders = 16;  // connections at once, so that group commit batches form
constexpr int kills = 12;    // under load; a few more land while the bot is still starting
constexpr auto patience = 120s;  // for one command's 200, across restarts

enum class Verb { declare, note, update };

// One slash command as Slack sends it, and the word its timeline entry is found by.
struct Planned {
  Verb verb;
  int incident;
  std::string mark;  // "n123", "u123": unique, carried in the note's or the update's text
  std::string text;
  std::string trigger;
};

std::vector<Planned> plan(std::mt19937& random) {
  std::vector<Planned> planned;
  for (int number = 1; number <= incidents; ++number)
    planned.push_back({Verb::declare, number, "", "declare Crash drill " + std::to_string(number), ""});
  std::uniform_int_distribution<int> incident(1, incidents);
  std::uniform_int_distribution<int> percent(1, 100);
  while (static_cast<int>(planned.size()) < commands_in_all) {
    const int number = incident(random);
    const bool update = number > reminded && percent(random) <= 5;
    planned.push_back({update ? Verb::update : Verb::note, number, "", "", ""});
  }
  // Each reminded incident's one update, spread over the run, so its reminder falls due under load.
  for (int number = 1; number <= reminded; ++number) {
    Planned& promise = planned[incidents + (commands_in_all - incidents) * number / (reminded + 2)];
    promise = {Verb::update, number, "", "", ""};
  }
  for (std::size_t index = 0; index < planned.size(); ++index) {
    Planned& command = planned[index];
    command.trigger = "9000." + std::to_string(index) + ".crash";
    const std::string inc = "INC-" + std::to_string(command.incident);
    if (command.verb == Verb::note) {
      command.mark = "n" + std::to_string(index);
      command.text = inc + " note load " + command.mark + " from the crash drill";
    } else if (command.verb == Verb::update) {
      command.mark = "u" + std::to_string(index);
      command.text = inc + " update load " + command.mark + " checkout slow | confidence: medium" +
                     (command.incident <= reminded ? " | next update: 2s" : "");
    }
  }
  return planned;
}

// What a 200 must say for the command to have been applied, not refused.
std::string expected_reply(const Planned& command) {
  switch (command.verb) {
    case Verb::declare: return "INC-" + std::to_string(command.incident) + " declared";
    case Verb::note: return "INC-" + std::to_string(command.incident) + " note added";
    case Verb::update: return "INC-" + std::to_string(command.incident) + " update posted";
  }
  return "?";
}

// The clients: each command sent until a 200 comes back, with the same trigger_id, as Slack retries.
struct Load {
  const std::vector<Planned>& planned;
  std::atomic<unsigned short> port{0};  // 0 while the bot is down
  std::atomic<std::size_t> next{incidents};
  std::atomic<int> acknowledged{0};
  std::atomic<int> sent{0};
  std::atomic<int> retried{0};
  std::atomic<bool> abandon{false};
  std::atomic<int> complaints{0};
  std::mutex lock;
  std::vector<std::string> wrong;  // answers that were neither a 200 applying the command nor worth a retry

  void send(const Planned& command) {
    bool sent_before = false;
    const auto give_up_at = std::chrono::steady_clock::now() + patience;
    for (bool first = true; std::chrono::steady_clock::now() < give_up_at && !abandon; first = false) {
      if (!first) std::this_thread::sleep_for(2ms);
      const unsigned short at = port;
      if (at == 0) continue;
      ++sent;
      if (sent_before) ++retried;
      sent_before = true;
      fakes::HttpAnswer answer;
      try {
        answer = fakes::SlackSender(at, fakes::SlackDeliveryWorld::signing_secret)
                     .command(command.text, bot::now_utc(), "C0GENERAL", "U0ALICE", command.trigger);
      } catch (const std::exception&) {
        continue;  // reset or refused: the bot is gone
      }
      if (answer.status >= 500) continue;
      boost::system::error_code ec;
      const auto body = boost::json::parse(answer.body, ec);
      const auto* text = !ec && body.is_object() ? body.as_object().if_contains("text") : nullptr;
      if (answer.status != 200 || !text || !text->is_string() ||
          std::string(text->as_string()).find(expected_reply(command)) == std::string::npos)
        return complain(command.trigger + ": HTTP " + std::to_string(answer.status) + " " + answer.body);
      ++acknowledged;
      return;
    }
    if (!abandon) complain(command.trigger + ": never acknowledged");
  }
  void send_all() {
    for (std::size_t index = next++; index < planned.size() && !abandon; index = next++) send(planned[index]);
  }
  void complain(std::string what) {
    std::lock_guard guard(lock);
    wrong.push_back(std::move(what));
    ++complaints;
  }
};

int count_rows(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
  db.setBusyTimeout(5000);
  return db.execAndGet(sql).getInt();
}

// The load word of each note and update entry ("n123", "u123") -> how many timeline entries carry it.
std::map<std::string, int> marks_in_timeline(SQLite::Database& db) {
  std::map<std::string, int> marks;
  SQLite::Statement rows(db, "SELECT text FROM timeline WHERE kind IN ('note', 'update') AND text LIKE 'load %'");
  while (rows.executeStep()) {
    const std::string text = rows.getColumn(0).getString();
    ++marks[text.substr(5, text.find(' ', 5) - 5)];
  }
  return marks;
}

// What the checks found, for the summary line.
struct Tally {
  int lost = 0;
  int twice = 0;
  int posts_seen = 0;
  std::size_t outbox_rows = 0;
  int reminders = 0;
};

// Every command is in the timeline once, found by its load word, and its delivery id is kept.
void check_each_command_stored_once(SQLite::Database& db, const std::vector<Planned>& planned, Tally& tally) {
  const auto marks = marks_in_timeline(db);
  int updates = 0;
  for (const auto& command : planned) {
    if (command.mark.empty()) continue;
    if (command.verb == Verb::update) ++updates;
    const auto found = marks.find(command.mark);
    const int times = found == marks.end() ? 0 : found->second;
    if (times == 0) ++tally.lost;
    if (times > 1) tally.twice += times - 1;
    if (times != 1) FAIL_CHECK(command.trigger << " (" << command.text << ") is in the timeline " << times << " times");
  }
  CHECK(static_cast<int>(marks.size()) == commands_in_all - incidents);
  CHECK(db.execAndGet("SELECT count(*) FROM incidents").getInt() == incidents);
  CHECK(db.execAndGet("SELECT count(*) FROM deliveries WHERE delivery_id LIKE 'slack:command:9000.%'").getInt() ==
        commands_in_all);
  // An update posts in its incident's channel and in the announcement channel.
  CHECK(db.execAndGet("SELECT count(*) FROM outbox WHERE kind = 'update'").getInt() == 2 * updates);
}

// Every outbox row reached the stand-in once, by the row id its post carries; a card is posted once, then edited.
void check_each_post_made_once(SQLite::Database& db, const fakes::SlackApiServer& api, Tally& tally) {
  std::map<std::int64_t, std::pair<std::string, std::int64_t>> rows;  // id -> kind, incident
  SQLite::Statement query(db, "SELECT id, kind, incident FROM outbox");
  while (query.executeStep())
    rows[query.getColumn(0).getInt64()] = {query.getColumn(1).getString(), query.getColumn(2).getInt64()};
  tally.outbox_rows = rows.size();
  CHECK(db.execAndGet("SELECT count(*) FROM outbox WHERE delivered_at IS NULL").getInt() == 0);

  std::map<std::int64_t, int> posts;  // outbox id -> chat.postMessage calls the stand-in took, answered or not
  for (const auto& call : api.calls("chat.postMessage"))
    if (call.status == 200 && call.body.is_object()) ++posts[fakes::slack_outbox_id(call.body.as_object())];
  std::map<std::int64_t, int> cards_posted;  // incident -> card posts
  for (const auto& [id, times] : posts) {
    tally.posts_seen += times;
    const auto row = rows.find(id);
    if (row == rows.end()) FAIL_CHECK("a post carries outbox id " << id << ", which no row has");
    else if (row->second.first == "card") cards_posted[row->second.second] += times;
    if (times > 1) {
      tally.twice += times - 1;
      FAIL_CHECK("outbox row " << id << " was posted " << times << " times");
    }
  }
  const std::set<std::string> posted_kinds{"update", "announcement", "reminder", "direct", "notice"};
  for (const auto& [id, row] : rows)
    if (posted_kinds.count(row.first) && !posts.count(id)) {
      ++tally.lost;
      FAIL_CHECK("outbox row " << id << " (" << row.first << ") never reached the chat");
    }
  for (int number = 1; number <= incidents; ++number) CHECK(cards_posted[number] == 1);
}

// Each reminded incident got its one update reminder, in its channel and to its owner; no other incident got one.
void check_each_reminder_sent_once(SQLite::Database& db, Tally& tally) {
  for (int number = 1; number <= incidents; ++number) {
    INFO("INC-" << number);
    const std::string of = " AND incident = " + std::to_string(number);
    const int expected = number <= reminded ? 1 : 0;
    const int sent = db.execAndGet("SELECT count(*) FROM outbox WHERE kind = 'reminder'" + of).getInt();
    tally.reminders += std::min(sent, expected);
    tally.lost += std::max(expected - sent, 0);
    tally.twice += std::max(sent - expected, 0);
    CHECK(sent == expected);
    CHECK(db.execAndGet("SELECT count(*) FROM timeline WHERE kind = 'reminder'" + of).getInt() == expected);
    CHECK(db.execAndGet("SELECT count(*) FROM outbox WHERE kind = 'direct'" + of).getInt() == expected);
  }
}

double seconds_since(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

TEST_CASE("crash recovery: killed with SIGKILL under load again and again, nothing acknowledged is lost or done twice",
          "[kill]") {
  const char* seed_given = std::getenv("CRASH_RECOVERY_SEED");
  const unsigned seed = seed_given ? static_cast<unsigned>(std::strtoul(seed_given, nullptr, 10)) : std::random_device{}();
  std::printf("crash recovery: seed %u (CRASH_RECOVERY_SEED=%u repeats the run's plan and kill points)\n", seed, seed);
  INFO("seed " << seed);
  std::mt19937 random(seed);

  fakes::TempDir dir;
  fakes::SlackDeliveryWorld world;  // its Web API stand-in and its child_config(); its in-process bot is never started
  const std::string path = (dir.path / "bot.db").string();
  const std::string config = (dir.path / "bot.json").string();
  std::ofstream(config) << R"({ "store": { "path": ")" << path << R"(" }, "http": { "listen": "127.0.0.1:0" }, )"
                        << world.child_config() << " }";

  const std::vector<Planned> planned = plan(random);
  Load load{planned};
  int starts = 0;
  int killed = 0;
  const auto start_bot = [&] {
    const auto output = dir.path / ("bot-" + std::to_string(++starts) + ".txt");
    return std::make_unique<fakes::ChildBot>(config, output.string(), world.child_environment());
  };
  const auto kill_bot = [&](std::unique_ptr<fakes::ChildBot>& child) {
    load.port = 0;
    CHECK(WIFSIGNALED(child->end(SIGKILL)));
    child.reset();
    ++killed;
  };

  const auto began = std::chrono::steady_clock::now();
  auto bot = start_bot();
  load.port = bot->port();
  REQUIRE(load.port != 0);
  for (int number = 0; number < incidents; ++number) load.send(planned[number]);
  REQUIRE(load.acknowledged == incidents);
  std::vector<std::thread> clients;
  for (int client = 0; client < senders; ++client) clients.emplace_back([&] { load.send_all(); });

  // Kill points by commands acknowledged, so the kills land under load however fast the machine is.
  std::uniform_int_distribution<int> kill_point(incidents + 200, commands_in_all - 300);
  std::vector<int> points;
  for (int kill = 0; kill < kills; ++kill) points.push_back(kill_point(random));
  std::sort(points.begin(), points.end());
  std::uniform_int_distribution<int> jitter_us(0, 20'000);
  std::uniform_int_distribution<int> percent(1, 100);
  bool kept_pace = true;
  for (const int point : points) {
    kept_pace = fakes::eventually([&] { return load.acknowledged >= point || load.complaints > 0; }, 60s);
    if (!kept_pace) break;
    std::this_thread::sleep_for(std::chrono::microseconds(jitter_us(random)));
    kill_bot(bot);
    // Now and then killed again while starting: recovering from a crash must survive a crash too.
    if (percent(random) <= 30) {
      bot = start_bot();
      std::this_thread::sleep_for(std::chrono::microseconds(jitter_us(random) * 3));
      kill_bot(bot);
    }
    bot = start_bot();
    load.port = bot->port();
    if (load.port == 0) break;
  }
  if (!kept_pace || load.port == 0) load.abandon = true;
  for (auto& client : clients) client.join();
  {
    std::lock_guard guard(load.lock);
    for (const auto& what : load.wrong) FAIL_CHECK(what);
  }
  REQUIRE(kept_pace);
  REQUIRE(load.port != 0);
  REQUIRE(load.acknowledged == commands_in_all);
  const double load_seconds = seconds_since(began);

  // The last run sends the reminders still due and drains the outbox; then it stops cleanly.
  const auto settling = std::chrono::steady_clock::now();
  const bool settled = fakes::eventually(
      [&] {
        return count_rows(path, "SELECT count(*) FROM timeline WHERE kind = 'reminder'") >= reminded &&
               count_rows(path, "SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL") == 0;
      },
      60s);
  const double settle_seconds = seconds_since(settling);
  CHECK(WIFEXITED(bot->end(SIGTERM)));
  CHECK(settled);

  SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
  Tally tally;
  check_each_command_stored_once(db, planned, tally);
  check_each_post_made_once(db, world.api, tally);
  check_each_reminder_sent_once(db, tally);
  std::printf(
      "crash recovery: seed %u: %d commands, %d sent, %d acknowledged, %d retried, %d kills, %d starts, %d posts seen "
      "(%zu outbox rows), %d lost, %d duplicates, %d of %d reminders; load %.1f s, settling %.1f s\n",
      seed, commands_in_all, load.sent.load(), load.acknowledged.load(), load.retried.load(), killed, starts,
      tally.posts_seen, tally.outbox_rows, tally.lost, tally.twice, tally.reminders, reminded, load_seconds, settle_seconds);
  CHECK(tally.lost == 0);
  CHECK(tally.twice == 0);
}
