#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

store::OutboxRow post(std::string channel, std::string payload) {
  return {.platform = "slack", .channel = std::move(channel), .kind = workflows::PostKind::update, .incident = 1,
          .payload = std::move(payload), .created_at = 100, .not_before = 100};
}

}  // namespace

TEST_CASE("undelivered_posts lists open and failed rows, oldest first; --failed only the failed") {
  auto db = store::open(":memory:");
  const auto failed = store::enqueue_post(db, post("C1", "refused"));
  const auto open = store::enqueue_post(db, post("C1", "waiting"));
  const auto delivered = store::enqueue_post(db, post("C2", "sent"));
  store::mark_failed(db, failed, "missing_scope", 110);
  store::mark_delivered(db, delivered, "ts", 110);

  const auto all = store::undelivered_posts(db, false, 10);
  REQUIRE(all.size() == 2);
  CHECK(all[0].row.id == failed);
  CHECK(all[0].failed);
  CHECK(all[0].row.last_error == "missing_scope");
  CHECK(all[1].row.id == open);
  CHECK_FALSE(all[1].failed);
  const auto failed_only = store::undelivered_posts(db, true, 10);
  REQUIRE(failed_only.size() == 1);
  CHECK(failed_only[0].row.id == failed);
}

TEST_CASE("retry_failed makes failed rows due again and forgets the channel failure behind them") {
  auto db = store::open(":memory:");
  const auto first = store::enqueue_post(db, post("inc-1-x", "card"));
  const auto second = store::enqueue_post(db, post("inc-1-x", "update"));
  store::remember_channel_failure(db, "slack", "inc-1-x", "missing_scope", 110);
  store::mark_failed(db, first, "missing_scope", 110);
  store::mark_failed(db, second, "missing_scope", 110);
  CHECK(store::channel_failure(db, "slack", "inc-1-x") == "missing_scope");

  CHECK(store::retry_failed(db, first, 200) == 1);
  CHECK_FALSE(store::channel_failure(db, "slack", "inc-1-x"));
  CHECK(store::channel_heads(db, "slack", "me", 200, 10).at(0).id == first);
  CHECK(store::outbox_row(db, first)->attempts == 0);
  CHECK(store::retry_failed(db, std::nullopt, 200) == 1);
  CHECK(store::retry_failed(db, std::nullopt, 200) == 0);
}

TEST_CASE("drop_post gives one open row up with the operator's reason") {
  auto db = store::open(":memory:");
  const auto id = store::enqueue_post(db, post("C1", "stuck"));
  store::enqueue_post(db, post("C1", "behind"));
  CHECK(store::drop_post(db, id, "channel archived", 120));
  CHECK_FALSE(store::drop_post(db, id, "again", 121));
  CHECK(store::outbox_row(db, id)->last_error == "dropped by an operator: channel archived");
  CHECK(store::channel_heads(db, "slack", "me", 120, 10).at(0).payload == "behind");
}

TEST_CASE("a channel creation in doubt is remembered by the name it asked for, until it ends") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::channel_creation_in_doubt(db, "slack", "inc-1-x"));
  store::begin_channel_creation(db, "slack", "inc-1-x", "inc-1-x-2");
  CHECK(store::channel_creation_in_doubt(db, "slack", "inc-1-x") == "inc-1-x-2");
  CHECK_FALSE(store::channel_creation_in_doubt(db, "mattermost", "inc-1-x"));
  store::end_channel_creation(db, "slack", "inc-1-x");
  CHECK_FALSE(store::channel_creation_in_doubt(db, "slack", "inc-1-x"));
}
