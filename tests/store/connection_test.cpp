#include "store/connection.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace incident_bot;

namespace {

std::string select_bound(SQLite::Database& db) {
  store::Prepared query(db, "SELECT COALESCE(?, 'nothing bound')");
  query.executeStep();
  return query.getColumn(0).getString();
}

}  // namespace

TEST_CASE("a cached statement is handed back reset and unbound") {
  auto db = store::open(":memory:");
  {
    store::Prepared query(db, "SELECT COALESCE(?, 'nothing bound')");
    query.bind(1, "first");
    REQUIRE(query.executeStep());
    CHECK(query.getColumn(0).getString() == "first");
  }  // left mid-result: the next holder starts from the top
  CHECK(select_bound(db) == "nothing bound");
}

TEST_CASE("the same statement held twice on one stack gives the inner holder its own") {
  auto db = store::open(":memory:");
  db.exec("CREATE TABLE numbers (n INTEGER)");
  db.exec("INSERT INTO numbers VALUES (1), (2), (3)");
  store::Prepared outer(db, "SELECT n FROM numbers ORDER BY n");
  std::vector<std::int64_t> pairs;
  while (outer.executeStep()) {
    store::Prepared inner(db, "SELECT n FROM numbers ORDER BY n");
    while (inner.executeStep()) pairs.push_back(outer.getColumn(0).getInt64() * 10 + inner.getColumn(0).getInt64());
  }
  CHECK(pairs == std::vector<std::int64_t>{11, 12, 13, 21, 22, 23, 31, 32, 33});
}

TEST_CASE("an abandoned cached read does not keep its snapshot: another connection's write is seen") {
  const auto folder = std::filesystem::temp_directory_path() / "incident-bot-connection-test";
  std::filesystem::remove_all(folder);
  {
    auto reader = store::open((folder / "bot.db").string());
    auto writer = store::open((folder / "bot.db").string());
    {
      store::Prepared query(reader, "SELECT COUNT(*) FROM deliveries");
      REQUIRE(query.executeStep());
      CHECK(query.getColumn(0).getInt() == 0);
    }
    store::record_answer(writer, "Ev1", "answer", 1);
    store::Prepared again(reader, "SELECT COUNT(*) FROM deliveries");
    REQUIRE(again.executeStep());
    CHECK(again.getColumn(0).getInt() == 1);
  }
  std::filesystem::remove_all(folder);
}

TEST_CASE("a moved connection keeps its statements, and a plain database prepares anew") {
  auto first = store::open(":memory:");
  store::record_answer(first, "Ev1", "kept", 1);
  store::Connection moved(std::move(first));
  CHECK(store::earlier_answer(moved, "Ev1") == "kept");

  SQLite::Database plain(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  plain.exec("CREATE TABLE deliveries (delivery_id TEXT PRIMARY KEY, answer TEXT NOT NULL, at INTEGER NOT NULL)");
  store::record_answer(plain, "Ev2", "uncached", 2);
  CHECK(store::earlier_answer(plain, "Ev2") == "uncached");
}

TEST_CASE("execute runs a statement without results through the cache") {
  auto db = store::open(":memory:");
  store::execute(db, "SAVEPOINT probe");
  store::record_answer(db, "Ev1", "rolled back", 1);
  store::execute(db, "ROLLBACK TO probe");
  store::execute(db, "RELEASE probe");
  CHECK_FALSE(store::earlier_answer(db, "Ev1"));
}
