#include "bot/core/delivery.hpp"

#include <boost/asio/post.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <thread>

using namespace incident_bot;

namespace {

// A chat that records what it is given and answers from a script.
class ScriptedChat final : public bot::Chat {
 public:
  std::vector<bot::DeliveryResult> script;
  std::vector<std::string> delivered;
  bot::PlatformTraits platform = bot::mattermost_platform(true);

  const bot::PlatformTraits& traits() const override { return platform; }
  boost::asio::awaitable<bot::Delivery> deliver(const store::OutboxRow& row) override {
    const auto result = script.empty() ? bot::DeliveryResult::delivered : script.front();
    if (!script.empty()) script.erase(script.begin());
    if (result == bot::DeliveryResult::delivered) delivered.push_back(row.payload);
    co_return bot::Delivery{result, "ref-" + row.payload, result == bot::DeliveryResult::delivered ? "" : "nope"};
  }
};

void enqueue(SQLite::Database& db, const std::string& platform, const std::string& payload, Timestamp now) {
  store::OutboxRow row;
  row.platform = platform;
  row.channel = "c";
  row.kind = "text";
  row.payload = payload;
  row.created_at = now;
  row.not_before = now;
  store::enqueue_post(db, row);
}

}  // namespace

TEST_CASE("outbox retry delays double from one second, at most five minutes") {
  CHECK(bot::outbox_retry_delay(0) == 1);
  CHECK(bot::outbox_retry_delay(3) == 8);
  CHECK(bot::outbox_retry_delay(20) == 256);
  CHECK(bot::outbox_retry_delay(-1) == 1);
}

TEST_CASE("the outbox loop delivers a chat's rows in order, abandons what the chat refuses, retries the rest later") {
  auto db = store::open(":memory:");
  Timestamp now = 1000;
  enqueue(db, "mattermost", "first", now);
  enqueue(db, "slack", "not mine", now);
  enqueue(db, "mattermost", "second", now);
  ScriptedChat chat;
  chat.script = {bot::DeliveryResult::delivered, bot::DeliveryResult::retry_later};
  boost::asio::io_context io;
  bot::OutboxLoop loop(io, db, chat, [&] { return now; },
                       std::make_shared<spdlog::logger>("t", std::make_shared<spdlog::sinks::null_sink_st>()), 30);
  loop.start();
  io.run_for(std::chrono::milliseconds(100));
  CHECK(chat.delivered == std::vector<std::string>{"first"});
  CHECK(store::next_post_due(db, "mattermost") == now + 1);

  now += 2;
  chat.script = {bot::DeliveryResult::abandoned};
  enqueue(db, "mattermost", "third", now);
  loop.wake();
  io.restart();
  io.run_for(std::chrono::milliseconds(100));
  CHECK(chat.delivered == std::vector<std::string>{"first", "third"});  // "second" abandoned
  CHECK_FALSE(store::next_post_due(db, "mattermost"));
  CHECK(store::next_post_due(db, "slack") == 1000);
  loop.stop();
}
