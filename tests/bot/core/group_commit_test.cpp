#include "bot/core/group_commit.hpp"

#include "bot/app/wall_clock.hpp"
#include "bot/core/dispatcher.hpp"
#include "fakes/child_bot.hpp"
#include "fakes/http_caller.hpp"
#include "store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

constexpr Timestamp t0 = 1'795'000'000;

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

struct Batching {
  fakes::TempDir dir;
  std::string path = (dir.path / "bot.db").string();
  store::Connection db = store::open(path);
  boost::asio::io_context io;
  bot::GroupCommit commits;
  std::vector<std::string> outcomes;  // "ok" or the error, in the order the answers came

  explicit Batching(bot::BatchLimits limits = {}) : commits(io.get_executor(), db, limits, quiet()) {}

  void record(const std::string& id) {
    commits.submit([this, id] { store::record_answer(db, id, "answer " + id, t0); }, answer_into());
  }
  bot::GroupCommit::Done answer_into() {
    return [this](std::exception_ptr failure) { outcomes.push_back(failure ? bot::describe_failure(failure) : "ok"); };
  }
  // What another connection sees: only what is committed.
  int committed(const std::string& sql) {
    SQLite::Database reader(path, SQLite::OPEN_READONLY, 5000);
    return reader.execAndGet(sql).getInt();
  }
};

}  // namespace

TEST_CASE("group commit: commands that arrive together share one transaction, answered once it is durable") {
  Batching batch;
  std::vector<int> seen_at_answer;
  for (const char* id : {"Ev1", "Ev2", "Ev3"})
    batch.commits.submit([&batch, id = std::string(id)] { store::record_answer(batch.db, id, "answer", t0); },
                         [&](std::exception_ptr failure) {
                           REQUIRE_FALSE(failure);
                           seen_at_answer.push_back(batch.committed("SELECT count(*) FROM deliveries"));
                         });
  CHECK(batch.committed("SELECT count(*) FROM deliveries") == 0);  // nothing runs before the loop does
  batch.io.run();
  CHECK(seen_at_answer == std::vector<int>{3, 3, 3});  // every answer came after all three were on disk
  CHECK(batch.commits.figures().batches == 1);
  CHECK(batch.commits.figures().largest == 3);
}

TEST_CASE("group commit: a command that fails rolls back alone and hears its own error; the batch goes on") {
  Batching batch;
  batch.record("Ev1");
  batch.commits.submit(
      [&] {
        store::record_answer(batch.db, "Ev-doomed", "half done", t0);
        throw std::runtime_error("the workflow refused midway");
      },
      batch.answer_into());
  batch.record("Ev3");
  batch.io.run();
  CHECK(batch.outcomes == std::vector<std::string>{"ok", "the workflow refused midway", "ok"});
  CHECK(batch.committed("SELECT count(*) FROM deliveries WHERE delivery_id IN ('Ev1', 'Ev3')") == 2);
  CHECK(batch.committed("SELECT count(*) FROM deliveries WHERE delivery_id = 'Ev-doomed'") == 0);
  CHECK(batch.commits.figures().batches == 1);
  CHECK(batch.commits.figures().failed == 1);
}

TEST_CASE("group commit: when the commit itself fails, nothing is kept and every command hears it") {
  Batching batch;
  batch.record("Ev1");
  // A timeline row of an incident that does not exist: the deferred foreign key refuses the COMMIT.
  batch.commits.submit([&] { store::append_timeline(batch.db, 99, {TimelineEntry{t0, "U1", "note", "orphan"}}); },
                       batch.answer_into());
  batch.io.run();
  REQUIRE(batch.outcomes.size() == 2);
  CHECK(batch.outcomes[0] != "ok");
  CHECK(batch.outcomes[1] != "ok");
  CHECK(batch.committed("SELECT count(*) FROM deliveries") == 0);
  // The connection is usable again: the next batch commits.
  batch.record("Ev2");
  batch.io.restart();
  batch.io.run();
  CHECK(batch.outcomes.back() == "ok");
  CHECK(batch.committed("SELECT count(*) FROM deliveries") == 1);
}

TEST_CASE("group commit: a batch holds at most batch_max_commands") {
  Batching batch(bot::BatchLimits{2, 0ms});
  for (int i = 0; i < 5; ++i) batch.record("Ev" + std::to_string(i));
  batch.io.run();
  CHECK(batch.outcomes.size() == 5);
  CHECK(batch.commits.figures().batches == 3);
  CHECK(batch.commits.figures().largest == 2);
  CHECK(batch.committed("SELECT count(*) FROM deliveries") == 5);
}

TEST_CASE("group commit: with batch_max_wait a batch waits for company, and a full one starts at once") {
  Batching batch(bot::BatchLimits{3, 60'000ms});
  batch.record("Ev1");
  batch.io.poll();  // the wait has not passed: nothing committed yet
  CHECK(batch.outcomes.empty());
  batch.record("Ev2");
  batch.record("Ev3");  // full: no waiting out the minute
  batch.io.poll();
  CHECK(batch.outcomes.size() == 3);
  CHECK(batch.commits.figures().batches == 1);
}

TEST_CASE("group commit: a delivery id redelivered inside one batch is answered once, with the first answer") {
  Batching batch;
  bot::Dispatcher dispatcher(batch.db, workflows::Policy{}, bot::slack_platform(true), quiet());
  std::vector<bot::Reply> replies;
  for (int i = 0; i < 2; ++i)
    batch.commits.submit(
        [&] {
          replies.push_back(dispatcher.handle_in_transaction({"C0GENERAL", "U0ALICE", "declare Checkout down", "slack:command:7.7"}, t0));
        },
        batch.answer_into());
  batch.io.run();
  REQUIRE(replies.size() == 2);
  CHECK(replies[0].text == replies[1].text);
  CHECK(batch.committed("SELECT count(*) FROM incidents") == 1);
  CHECK(batch.commits.figures().batches == 1);
}

TEST_CASE("group commit: without a loop each command commits before submit returns") {
  fakes::TempDir dir;
  auto db = store::open((dir.path / "bot.db").string());
  bot::GroupCommit commits(db, quiet());
  bool answered = false;
  commits.submit([&] { store::record_answer(db, "Ev1", "answer", t0); }, [&](std::exception_ptr failure) {
    answered = !failure;
  });
  CHECK(answered);
  CHECK(store::earlier_answer(db, "Ev1") == "answer");
}

TEST_CASE("group commit: killed with batches in flight, every acknowledged command is stored once, none by half") {
  fakes::TempDir dir;
  const std::string path = (dir.path / "bot.db").string();
  const std::string config = (dir.path / "bot.json").string();
  std::ofstream(config) << R"({ "store": { "path": ")" << path << R"(" }, "http": { "listen": "127.0.0.1:0" } })";
  const std::string secret = "kill-test-signing-secret";
  fakes::ChildBot child(config, (dir.path / "bot.txt").string(), {{"SLACK_SIGNING_SECRET", secret}});
  const unsigned short port = child.port();
  REQUIRE(port != 0);
  const fakes::SlackSender slack(port, secret);
  REQUIRE(slack.command("declare Checkout down", bot::now_utc()).status == 200);

  // Eight senders at once, so that batches hold several commands when the kill lands.
  std::mutex lock;
  std::set<std::string> acknowledged;
  std::atomic<bool> killed{false};
  std::vector<std::thread> senders;
  for (int sender = 0; sender < 8; ++sender)
    senders.emplace_back([&, sender] {
      for (int i = 0; !killed; ++i) {
        const std::string id = std::to_string(sender) + "." + std::to_string(i);
        try {
          const auto answer = slack.command("INC-1 note kill check " + id, bot::now_utc(), "C0GENERAL", "U0ALICE", id);
          if (answer.status != 200) return;
          std::lock_guard guard(lock);
          acknowledged.insert(id);
        } catch (const std::exception&) {
          return;  // the bot is gone
        }
      }
    });
  REQUIRE(fakes::eventually(
      [&] {
        std::lock_guard guard(lock);
        return acknowledged.size() >= 200;
      },
      20s));
  REQUIRE(WIFSIGNALED(child.end(SIGKILL)));
  killed = true;
  for (auto& sender : senders) sender.join();

  auto db = store::open(path);
  std::map<std::string, int> notes;  // the note's id -> how many timeline rows carry it
  SQLite::Statement rows(db, "SELECT text FROM timeline WHERE kind = 'note' AND text LIKE 'kill check %'");
  while (rows.executeStep()) ++notes[rows.getColumn(0).getString().substr(std::string("kill check ").size())];
  std::set<std::string> recorded;  // delivery ids the store answers for
  SQLite::Statement ids(db, "SELECT delivery_id FROM deliveries WHERE delivery_id LIKE 'slack:command:%'");
  while (ids.executeStep()) recorded.insert(ids.getColumn(0).getString().substr(std::string("slack:command:").size()));

  for (const auto& id : acknowledged) {
    CHECK(notes[id] == 1);
    CHECK(recorded.count(id) == 1);
  }
  // All or nothing: a note is stored exactly when its delivery id is, and never twice.
  for (const auto& [id, count] : notes) {
    CHECK(count == 1);
    CHECK(recorded.count(id) == 1);
  }
  for (const auto& id : recorded)
    if (!id.starts_with("1000.")) CHECK(notes.count(id) == 1);  // "1000.…" is the declare's trigger
}
