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
