#include "bot/core/store_upkeep.hpp"

#include "store/store.hpp"

#include <SQLiteCpp/Transaction.h>
#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <string>

using namespace incident_bot;

namespace {

constexpr Timestamp t0 = 1'795'000'000;
constexpr Seconds days = 86400;

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

struct Fixture {
  store::Connection db = store::open(":memory:");
  boost::asio::io_context io;
  bot::StoreUpkeep upkeep{io, db, [] { return t0; }, quiet(),
                          bot::StoreUpkeepOptions{2 * days, 14 * days, 500, std::chrono::hours(1)}};

  // 1,200 ids answered three days ago and 3 today; 600 posts delivered fifteen days ago, 2 today, 1 open.
  Fixture() {
    for (int i = 0; i < 1200; ++i) store::record_answer(db, "old" + std::to_string(i), "a", t0 - 3 * days);
    for (int i = 0; i < 3; ++i) store::record_answer(db, "new" + std::to_string(i), "a", t0 - 60);
    const auto delivered = [this](Timestamp at) {
      store::OutboxRow row{.platform = "slack", .channel = "C1", .payload = "p", .created_at = at, .not_before = at};
      store::mark_delivered(db, store::enqueue_post(db, row), "ts", at);
    };
    for (int i = 0; i < 600; ++i) delivered(t0 - 15 * days);
    for (int i = 0; i < 2; ++i) delivered(t0 - 60);
    store::enqueue_post(db, {.platform = "slack", .channel = "C2", .payload = "open", .created_at = 0, .not_before = 0});
  }
  int count(const std::string& sql) { return db.execAndGet(sql).getInt(); }
};

}  // namespace

TEST_CASE("a round of upkeep prunes both tables to their bounds in batches of at most 500", "[upkeep]") {
  Fixture f;
  f.upkeep.start();
  f.io.poll();  // the round runs to its end; the next one waits for the timer
  CHECK(f.upkeep.figures().rounds == 1);
  CHECK(f.upkeep.figures().delivery_ids == 1200);
  CHECK(f.upkeep.figures().delivered_posts == 600);
  CHECK(f.upkeep.figures().largest_batch == 500);
  CHECK(f.count("SELECT count(*) FROM deliveries") == 3);
  CHECK(f.count("SELECT count(*) FROM outbox") == 3);
  CHECK(f.count("SELECT count(*) FROM outbox WHERE delivered_at IS NULL") == 1);
  f.upkeep.stop();
}

TEST_CASE("work that arrives during a round runs between two batches", "[upkeep]") {
  Fixture f;
  f.upkeep.start();
  int left_when_the_command_ran = -1;
  boost::asio::post(f.io, [&] { left_when_the_command_ran = f.count("SELECT count(*) FROM deliveries"); });
  CHECK(f.io.poll_one() == 1);  // the first batch
  CHECK(f.count("SELECT count(*) FROM deliveries") == 1203 - 500);
  CHECK(f.io.poll_one() == 1);  // the command, before the second batch
  CHECK(left_when_the_command_ran == 1203 - 500);
  f.io.poll();
  CHECK(f.count("SELECT count(*) FROM deliveries") == 3);
  f.upkeep.stop();
}

TEST_CASE("upkeep never runs inside an open transaction; it waits for the next round", "[upkeep]") {
  Fixture f;
  {
    SQLite::Transaction command(f.db);
    f.upkeep.start();
    f.io.poll();
    CHECK(f.upkeep.figures().deferred == 1);
    CHECK(f.count("SELECT count(*) FROM deliveries") == 1203);
    command.commit();
  }
  f.upkeep.stop();
  f.upkeep.start();
  f.io.restart();
  f.io.poll();
  CHECK(f.count("SELECT count(*) FROM deliveries") == 3);
  f.upkeep.stop();
}
