// The delivery engine's loop against each chat's stand-in: channels kept in order past failures,
// rate limits held per channel, claims of other workers respected, a killed process's post found
// again instead of sent twice, and /healthz telling when posts are stuck.
#include "bot/app/wall_clock.hpp"
#include "fakes/captured_log.hpp"
#include "fakes/child_bot.hpp"
#include "fakes/delivery_worlds.hpp"
#include "fakes/http_caller.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

// Once the engine has recorded its first answer for the row.
bool tried_once(fakes::DeliveryWorld& world, std::int64_t id) {
  return fakes::eventually([&] { return world.row(id)->attempts >= 1; }, 5s);
}

}  // namespace

TEST_CASE("delivery: a head failed for good does not hold up its channel; the rows after it go out in order") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    const std::string channel = world->announce_channel();
    const std::string refusal = world->refuse_posts(1);
    const auto poison = world->enqueue_notice(channel, "first, refused");
    const auto second = world->enqueue_notice(channel, "second");
    const auto third = world->enqueue_notice(channel, "third");
    world->wake();
    REQUIRE(world->wait_until_delivered(third, 5s));

    const auto messages = world->messages_in(channel);
    REQUIRE(messages.size() == 2);
    CHECK(messages[0].outbox_id == second);
    CHECK(messages[0].text == "second");
    CHECK(messages[1].outbox_id == third);
    const auto failed = world->failed_rows();
    REQUIRE(failed.size() == 1);
    CHECK(failed[0].id == poison);
    CHECK(failed[0].last_error == refusal);
    CHECK(world->post_calls() == 3);  // a permanent error is not tried again
  }
}

TEST_CASE("delivery: a head failing with a 5xx holds its channel; the rows behind it never overtake it") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    const std::string channel = world->announce_channel();
    world->fail_posts(3);  // every attempt of the first delivery
    const auto first = world->enqueue_notice(channel, "first");
    const auto second = world->enqueue_notice(channel, "second");
    const auto third = world->enqueue_notice(channel, "third");
    world->wake();
    REQUIRE(world->wait_for_post_calls(3, 5s));
    REQUIRE(tried_once(*world, first));
    std::this_thread::sleep_for(300ms);
    CHECK(world->post_calls() == 3);
    CHECK(world->messages_in(channel).empty());
    CHECK(world->row(first)->not_before > world->bot().now());

    world->bot().advance(10);  // past the retry wait
    REQUIRE(world->wait_until_delivered(third, 5s));
    const auto messages = world->messages_in(channel);
    REQUIRE(messages.size() == 3);
    CHECK(messages[0].outbox_id == first);
    CHECK(messages[1].outbox_id == second);
    CHECK(messages[2].outbox_id == third);
    CHECK(world->post_calls() == 6);
  }
}

TEST_CASE("delivery: a long Retry-After on one channel becomes its head's wait; other channels keep flowing") {
  fakes::SlackDeliveryWorld world;
  world.start();
  world.api.answer_rate_limited("chat.postMessage", 1, 120s);  // longer than a call waits (10 s)
  const auto limited = world.enqueue_notice("C0LIMITED", "limited");
  world.enqueue_notice("C0LIMITED", "behind the limited one");
  world.wake();
  REQUIRE(tried_once(world, limited));

  const auto elsewhere = world.enqueue_notice(world.announce_channel(), "another channel");
  world.wake();
  REQUIRE(world.wait_until_delivered(elsewhere, 3s));
  const auto row = world.row(limited);
  CHECK(row->last_error == "ratelimited");
  CHECK(row->not_before >= world.bot().now() + 119);
  CHECK(row->not_before <= world.bot().now() + 121);
  CHECK(world.messages_in("C0LIMITED").empty());
  CHECK(world.api.count("chat.postMessage") == 2);  // the limited one once, the other channel's once
}

TEST_CASE("delivery: a row claimed by a live worker elsewhere is left alone until its claim ends") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    const auto id = world->enqueue_notice(world->announce_channel(), "claimed elsewhere");
    const Timestamp now = world->bot().now();
    world->bot().on_bot_thread(
        [&] { REQUIRE(store::claim_row(world->bot().runtime().db(), id, "another-host/4242/17", now, now + 2)); });
    world->wake();
    std::this_thread::sleep_for(1500ms);
    CHECK(world->post_calls() == 0);
    CHECK_FALSE(world->delivered(id));

    world->bot().advance(3);  // past the claim's end
    REQUIRE(world->wait_until_delivered(id, 5s));
    CHECK(world->messages_in(world->announce_channel()).size() == 1);
  }
}

TEST_CASE("delivery: /healthz is 503 while a post is stuck behind a locked store, 200 once it is delivered") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    fakes::CapturedLog log;
    auto world = chat.make();
    world->start([](bot::Config& config) { config.outbox.stuck_after = 60; }, log.logger());
    const auto health = [&] { return fakes::http_call(world->bot().port(), "GET", "/healthz", ""); };
    world->fail_posts(3);
    const auto id = world->enqueue_notice(world->announce_channel(), "waits");
    world->wake();
    REQUIRE(tried_once(*world, id));
    CHECK(health().status == 200);
    {
      fakes::StoreWriteLock busy(world->bot());
      world->bot().advance(61);  // past stuck_after, and past the row's retry wait
      REQUIRE(log.wait_for("trying again", 1, 5s));  // the engine met the lock
      const auto stuck = health();
      CHECK(stuck.status == 503);
      CHECK(stuck.body == "outbox: a post has waited 61 s (outbox.stuck_after is 60 s)\n");
    }
    world->wake();
    REQUIRE(world->wait_until_delivered(id, 5s));
    const auto healthy = health();
    CHECK(healthy.status == 200);
    CHECK(healthy.body == "ok\n");
  }
}

namespace {

int count_rows(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READONLY, 5000);
  db.setBusyTimeout(5000);
  return db.execAndGet(sql).getInt();
}

}  // namespace

TEST_CASE("delivery: killed between a post and its record, restarted: the post is found, not made twice") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    fakes::TempDir dir;
    const std::string path = (dir.path / "bot.db").string();
    const std::string config = (dir.path / "bot.json").string();
    std::ofstream(config) << R"({ "store": { "path": ")" << path << R"(" }, "http": { "listen": "127.0.0.1:0" }, )"
                          << world->child_config() << " }";
    const std::string open_rows = "SELECT count(*) FROM outbox WHERE delivered_at IS NULL AND failed_at IS NULL";
    const auto all_delivered = [&] { return fakes::eventually([&] { return count_rows(path, open_rows) == 0; }, 10s); };

    // The incident and its channel first, delivered in full.
    {
      fakes::ChildBot setup(config, (dir.path / "setup.txt").string(), world->child_environment());
      REQUIRE(setup.port() != 0);
      REQUIRE(world->command_to(setup.port(), "declare Pixel broken", bot::now_utc()) == 200);
      REQUIRE(all_delivered());
      REQUIRE(WIFEXITED(setup.end(SIGTERM)));
    }
    const std::size_t posts_before = world->post_calls();

    // Each answer is followed by a 3 s pause before it is recorded: the kill lands in the pause.
    auto paused = world->child_environment();
    paused.emplace_back("INCIDENT_BOT_DELIVERY_PAUSE_MS", "3000");
    {
      fakes::ChildBot first(config, (dir.path / "first.txt").string(), paused);
      REQUIRE(first.port() != 0);
      REQUIRE(world->command_to(first.port(), "INC-1 update checkout is recovering", bot::now_utc()) == 200);
      REQUIRE(world->wait_for_post_calls(posts_before + 1, 5s));
      REQUIRE(WIFSIGNALED(first.end(SIGKILL)));
    }
    const std::string killed_in_doubt =
        "SELECT count(*) FROM outbox WHERE kind = 'update' AND in_doubt = 1 AND delivered_at IS NULL";
    REQUIRE(count_rows(path, killed_in_doubt) >= 1);

    // The dead process's claims are taken over at start, not waited out.
    fakes::ChildBot second(config, (dir.path / "second.txt").string(), world->child_environment());
    REQUIRE(all_delivered());
    CHECK(WIFEXITED(second.end(SIGTERM)));

    auto db = store::open(path);
    const std::string incident_channel = store::channel_id(db, world->chat(), "inc-1-pixel-broken").value_or("?");
    SQLite::Statement updates(db, "SELECT id FROM outbox WHERE kind = 'update' ORDER BY id");
    std::vector<std::int64_t> update_rows;
    while (updates.executeStep()) update_rows.push_back(updates.getColumn(0).getInt64());
    REQUIRE(update_rows.size() == 2);  // one in the incident's channel, one announced
    std::vector<fakes::ChatMessage> shown = world->messages_in(incident_channel);
    const auto announced = world->messages_in(world->announce_channel());
    CHECK(shown.size() == 2);      // the card, the update
    CHECK(announced.size() == 2);  // the announcement, the update
    shown.insert(shown.end(), announced.begin(), announced.end());
    for (const auto id : update_rows) {
      INFO("outbox row " << id);
      const auto carrying = [&](const fakes::ChatMessage& message) { return message.outbox_id == id; };
      CHECK(std::count_if(shown.begin(), shown.end(), carrying) == 1);
    }
    CHECK(store::undelivered_posts(db, false, 100).empty());
  }
}
