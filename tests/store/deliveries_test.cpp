#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("an unknown delivery id has no earlier answer") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::earlier_answer(db, "Ev123"));
}

TEST_CASE("the first answer recorded for a delivery id wins") {
  auto db = store::open(":memory:");
  store::record_answer(db, "Ev123", "Declared INC-1", 100);
  CHECK(store::earlier_answer(db, "Ev123") == "Declared INC-1");

  CHECK_NOTHROW(store::record_answer(db, "Ev123", "Declared INC-2", 101));
  CHECK(store::earlier_answer(db, "Ev123") == "Declared INC-1");

  store::record_answer(db, "Ev124", "", 102);  // an empty answer is still an answer
  CHECK(store::earlier_answer(db, "Ev124") == "");
  CHECK_FALSE(store::earlier_answer(db, "ev123"));  // ids are compared exactly
}

TEST_CASE("an empty delivery id is neither kept nor found") {
  auto db = store::open(":memory:");
  store::record_answer(db, "", "Declared INC-1", 100);
  CHECK_FALSE(store::earlier_answer(db, ""));
  CHECK(db.execAndGet("SELECT count(*) FROM deliveries").getInt() == 0);
}

TEST_CASE("prune_deliveries forgets ids answered before the bound, oldest first, a bounded batch at a time",
          "[prune]") {
  auto db = store::open(":memory:");
  for (int i = 0; i < 1200; ++i) store::record_answer(db, "old" + std::to_string(i), "answer", 1000 + i);
  for (int i = 0; i < 30; ++i) store::record_answer(db, "new" + std::to_string(i), "answer", 5000 + i);
  store::record_answer(db, "at-the-bound", "answer", 5000 - 1);

  CHECK(store::prune_deliveries(db, 5000, 500) == 500);
  CHECK_FALSE(store::earlier_answer(db, "old0"));
  CHECK_FALSE(store::earlier_answer(db, "old499"));
  CHECK(store::earlier_answer(db, "old500") == "answer");  // the oldest go first
  CHECK(store::prune_deliveries(db, 5000, 500) == 500);
  CHECK(store::prune_deliveries(db, 5000, 500) == 201);
  CHECK(store::prune_deliveries(db, 5000, 500) == 0);
  CHECK(db.execAndGet("SELECT count(*) FROM deliveries").getInt() == 30);
  CHECK(store::earlier_answer(db, "new0") == "answer");  // answered at the bound itself: kept
}

TEST_CASE("a forgotten delivery id is answered anew", "[prune]") {
  auto db = store::open(":memory:");
  store::record_answer(db, "Ev1", "Declared INC-1", 100);
  CHECK(store::prune_deliveries(db, 101, 500) == 1);
  store::record_answer(db, "Ev1", "Declared INC-2", 200);
  CHECK(store::earlier_answer(db, "Ev1") == "Declared INC-2");
}
