#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <stdexcept>
#include <string>

using namespace incident_bot;

namespace {

store::OutboxRow post(std::string platform, std::string channel, std::string payload, Timestamp not_before = 100) {
  return {.platform = std::move(platform),
          .channel = std::move(channel),
          .kind = workflows::PostKind::update,
          .incident = 1,
          .payload = std::move(payload),
          .created_at = 100,
          .not_before = not_before};
}

std::vector<std::string> payloads(const std::vector<store::OutboxRow>& rows) {
  std::vector<std::string> result;
  for (const auto& row : rows) result.push_back(row.payload);
  return result;
}

std::string text_column(SQLite::Database& db, const char* column, std::int64_t id) {
  SQLite::Statement query(db, std::string("SELECT ") + column + " FROM outbox WHERE id = ?");
  query.bind(1, id);
  REQUIRE(query.executeStep());
  return query.getColumn(0).getString();
}

}  // namespace

TEST_CASE("an enqueued post comes back whole, with its id") {
  auto db = store::open(":memory:");
  const store::OutboxRow written{.platform = "mattermost",
                                 .channel = "town-square",
                                 .kind = workflows::PostKind::announcement,
                                 .incident = 9,
                                 .payload = "INC-9 declared",
                                 .created_at = 1'700'000'000,
                                 .not_before = 1'700'000'005};
  const auto first = store::enqueue_post(db, written);
  const auto second = store::enqueue_post(db, post("mattermost", "other", "second"));
  CHECK(second > first);

  const auto rows = store::pending_posts(db, "mattermost", 1'700'000'005, 10);
  REQUIRE(rows.size() == 2);
  const auto& read = rows[0];
  CHECK(read.id == first);
  CHECK(read.platform == "mattermost");
  CHECK(read.channel == "town-square");
  CHECK(read.kind == workflows::PostKind::announcement);
  CHECK(read.incident == 9);
  CHECK(read.payload == "INC-9 declared");
  CHECK(read.created_at == 1'700'000'000);
  CHECK(read.not_before == 1'700'000'005);
  CHECK(read.attempts == 0);
}

TEST_CASE("pending_posts: this platform, due, in id order, at most limit") {
  auto db = store::open(":memory:");
  store::enqueue_post(db, post("slack", "C1", "a"));
  store::enqueue_post(db, post("console", "C1", "console only"));
  store::enqueue_post(db, post("slack", "C2", "b"));
  store::enqueue_post(db, post("slack", "C1", "c"));
  store::enqueue_post(db, post("slack", "C3", "later", 500));

  CHECK(payloads(store::pending_posts(db, "slack", 100, 10)) == std::vector<std::string>{"a", "b", "c"});
  CHECK(payloads(store::pending_posts(db, "slack", 100, 2)) == std::vector<std::string>{"a", "b"});
  CHECK(payloads(store::pending_posts(db, "slack", 500, 10)) == std::vector<std::string>{"a", "b", "c", "later"});
  CHECK(payloads(store::pending_posts(db, "console", 100, 10)) == std::vector<std::string>{"console only"});
  CHECK(store::pending_posts(db, "slack", 99, 10).empty());
  CHECK(store::pending_posts(db, "mattermost", 100, 10).empty());
}

TEST_CASE("a channel waiting on its head holds back its later posts, and only its own") {
  auto db = store::open(":memory:");
  const auto head = store::enqueue_post(db, post("slack", "C1", "head"));
  store::enqueue_post(db, post("slack", "C1", "behind head"));
  store::enqueue_post(db, post("slack", "C2", "other channel"));
  store::enqueue_post(db, post("console", "C1", "same channel name, other platform"));

  store::mark_retry(db, head, 160, "ratelimited", false);

  CHECK(payloads(store::pending_posts(db, "slack", 120, 10)) == std::vector<std::string>{"other channel"});
  CHECK(payloads(store::pending_posts(db, "console", 120, 10)) ==
        std::vector<std::string>{"same channel name, other platform"});

  const auto after_wait = store::pending_posts(db, "slack", 160, 10);
  CHECK(payloads(after_wait) == std::vector<std::string>{"head", "behind head", "other channel"});
  REQUIRE_FALSE(after_wait.empty());
  CHECK(after_wait[0].attempts == 1);
  CHECK(after_wait[0].not_before == 160);
  CHECK(text_column(db, "last_error", head) == "ratelimited");

  store::mark_retry(db, head, 200, "timeout", false);
  CHECK(text_column(db, "last_error", head) == "timeout");
  const auto again = store::pending_posts(db, "slack", 200, 1);
  REQUIRE(again.size() == 1);
  CHECK(again[0].attempts == 2);
}

TEST_CASE("a later post that waits does not hold back the posts before it") {
  auto db = store::open(":memory:");
  store::enqueue_post(db, post("slack", "C1", "first"));
  const auto second = store::enqueue_post(db, post("slack", "C1", "second"));
  store::mark_retry(db, second, 300, "server error", false);
  CHECK(payloads(store::pending_posts(db, "slack", 100, 10)) == std::vector<std::string>{"first"});
}

TEST_CASE("delivered posts disappear from the pending list and keep their message ref") {
  auto db = store::open(":memory:");
  const auto head = store::enqueue_post(db, post("slack", "C1", "head"));
  store::enqueue_post(db, post("slack", "C1", "next"));
  store::mark_retry(db, head, 500, "ratelimited", false);
  CHECK(store::pending_posts(db, "slack", 100, 10).empty());

  store::mark_delivered(db, head, "1700000000.000100", 150);  // delivered after all, say by a retry
  CHECK(payloads(store::pending_posts(db, "slack", 150, 10)) == std::vector<std::string>{"next"});
  CHECK(text_column(db, "message_ref", head) == "1700000000.000100");
  CHECK(text_column(db, "delivered_at", head) == "150");
}

TEST_CASE("marking a post that does not exist is a programming error") {
  auto db = store::open(":memory:");
  CHECK_THROWS_AS(store::mark_delivered(db, 404, "ref", 1), std::logic_error);
  CHECK_THROWS_AS(store::mark_retry(db, 404, 1, "error", false), std::logic_error);
}

TEST_CASE("a failed post leaves the queue with its reason and unblocks its channel") {
  auto db = store::open(":memory:");
  const auto head = store::enqueue_post(db, post("slack", "C1", "refused"));
  store::enqueue_post(db, post("slack", "C1", "next"));
  store::mark_failed(db, head, "channel_not_found", 120);
  CHECK(payloads(store::pending_posts(db, "slack", 120, 10)) == std::vector<std::string>{"next"});
  CHECK(text_column(db, "last_error", head) == "channel_not_found");
}

TEST_CASE("next_post_due is the earliest time an undelivered post may be tried") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::next_post_due(db, "slack"));
  const auto first = store::enqueue_post(db, post("slack", "C1", "a", 300));
  store::enqueue_post(db, post("slack", "C2", "b", 200));
  store::enqueue_post(db, post("mattermost", "C3", "c", 100));
  CHECK(store::next_post_due(db, "slack") == 200);
  store::enqueue_post(db, post("slack", "C1", "behind the head", 50));
  CHECK(store::next_post_due(db, "slack") == 200);  // a post behind its channel's head waits for it
  store::mark_delivered(db, first, "ts", 10);
  CHECK(store::next_post_due(db, "slack") == 50);
}

TEST_CASE("channel_heads: one row per channel, never one behind an open row, failed rows out of the way") {
  auto db = store::open(":memory:");
  const auto first = store::enqueue_post(db, post("slack", "C1", "card"));
  store::enqueue_post(db, post("slack", "C1", "update"));
  store::enqueue_post(db, post("slack", "C2", "other"));
  CHECK(payloads(store::channel_heads(db, "slack", "me", 100, 10)) == std::vector<std::string>{"card", "other"});

  store::mark_retry(db, first, 150, "http_500", false);  // the head waits: its channel waits with it
  CHECK(payloads(store::channel_heads(db, "slack", "me", 120, 10)) == std::vector<std::string>{"other"});
  CHECK_FALSE(store::channel_head(db, "slack", "C1", "me", 120));
  CHECK(store::next_post_due(db, "slack") == 100);  // C2's head is due

  store::mark_failed(db, first, "missing_scope", 160);  // a failed row never blocks the rows after it
  CHECK(payloads(store::channel_heads(db, "slack", "me", 160, 10)) == std::vector<std::string>{"update", "other"});
}

TEST_CASE("a claim keeps other workers off a row until it ends; its own worker may go on") {
  auto db = store::open(":memory:");
  const auto id = store::enqueue_post(db, post("slack", "C1", "card"));
  REQUIRE(store::claim_row(db, id, "host/1/a", 100, 160));
  CHECK_FALSE(store::claim_row(db, id, "host/2/b", 120, 180));
  CHECK(store::channel_heads(db, "slack", "host/2/b", 120, 10).empty());
  CHECK(store::channel_heads(db, "slack", "host/1/a", 120, 10).size() == 1);
  CHECK(store::next_post_due(db, "slack") == 160);
  CHECK(store::claiming_workers(db, "slack", 120) == std::vector<std::string>{"host/1/a"});

  store::renew_claims(db, "host/1/a", 200);
  CHECK_FALSE(store::claim_row(db, id, "host/2/b", 170, 230));
  CHECK(store::claim_row(db, id, "host/2/b", 200, 260));  // expired: taken over
  store::expire_claims(db, "host/2/b");
  CHECK(store::claim_row(db, id, "host/3/c", 201, 261));
  store::mark_delivered(db, id, "ts", 202);
  CHECK_FALSE(store::claim_row(db, id, "host/3/c", 203, 263));  // delivered rows are never claimed again
}

TEST_CASE("an attempt in doubt stays marked until an answer is recorded") {
  auto db = store::open(":memory:");
  const auto id = store::enqueue_post(db, post("slack", "C1", "update"));
  store::mark_in_doubt(db, id);
  CHECK(store::outbox_row(db, id)->in_doubt);
  store::mark_retry(db, id, 150, "transport_error", true);
  CHECK(store::outbox_row(db, id)->in_doubt);
  store::mark_retry(db, id, 160, "http_500", false);
  const auto row = store::outbox_row(db, id);
  CHECK_FALSE(row->in_doubt);
  CHECK(row->attempts == 2);
  CHECK(row->last_error == "http_500");
}

TEST_CASE("oldest_open_post is the created time of the oldest row neither delivered nor failed") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::oldest_open_post(db));
  auto early = post("slack", "C1", "a");
  early.created_at = 10;
  const auto first = store::enqueue_post(db, early);
  store::enqueue_post(db, post("mattermost", "C2", "b"));
  CHECK(store::oldest_open_post(db) == 10);
  store::mark_failed(db, first, "missing_scope", 20);
  CHECK(store::oldest_open_post(db) == 100);
}

TEST_CASE("prune_delivered deletes rows delivered before the bound, a bounded batch at a time, and nothing open",
          "[prune]") {
  auto db = store::open(":memory:");
  const auto count = [&db](const char* where) {
    return db.execAndGet(std::string("SELECT count(*) FROM outbox WHERE ") + where).getInt();
  };
  for (int i = 0; i < 700; ++i) store::mark_delivered(db, store::enqueue_post(db, post("slack", "C-old", "old")), "ts", 100 + i);
  for (int i = 0; i < 5; ++i) store::mark_delivered(db, store::enqueue_post(db, post("slack", "C-old", "new")), "ts", 5000 + i);
  // A channel whose delivered row has an open row behind it, and rows open, claimed, in doubt or failed long ago.
  const auto before_open = store::enqueue_post(db, post("slack", "C-busy", "delivered, then one waits"));
  store::mark_delivered(db, before_open, "ts", 50);
  const auto waiting = store::enqueue_post(db, post("slack", "C-busy", "waiting"));
  const auto failed = store::enqueue_post(db, post("slack", "C-failed", "failed"));
  store::mark_failed(db, failed, "channel_not_found", 50);
  const auto claimed = store::enqueue_post(db, post("mattermost", "town-square", "claimed", 10));
  REQUIRE(store::claim_row(db, claimed, "worker-1", 10, 20));
  store::mark_in_doubt(db, claimed);

  CHECK(store::prune_delivered(db, 5000, 500) == 500);
  CHECK(count("payload = 'old'") == 200);
  CHECK(store::prune_delivered(db, 5000, 500) == 200);
  CHECK(store::prune_delivered(db, 5000, 500) == 0);
  CHECK(count("payload = 'new'") == 5);  // delivered at the bound or after: kept
  CHECK(store::outbox_row(db, before_open));
  CHECK(store::outbox_row(db, waiting));
  CHECK(store::outbox_row(db, failed));
  CHECK(store::outbox_row(db, claimed));

  store::mark_delivered(db, waiting, "ts", 60);  // nothing waits behind the first any more
  CHECK(store::prune_delivered(db, 5000, 500) == 2);
  CHECK(count("1") == 7);
}
