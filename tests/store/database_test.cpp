#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include "older_schema.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;
using namespace incident_bot;

namespace {

// A directory under the system temp dir that is removed, with everything in it, at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device random;
    path = fs::temp_directory_path() /
           ("incident-bot-database-test-" + std::to_string(random()) + "-" + std::to_string(random()));
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

int count_rows(SQLite::Database& db, const char* table) {
  return db.execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
}

int schema_objects(SQLite::Database& db) {
  return db.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
}

}  // namespace

TEST_CASE("open on :memory: migrates and sets the connection up") {
  auto db = store::open(":memory:");
  CHECK(store::current_version(db) == store::schema_version);
  CHECK(db.execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(db.execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
  CHECK(db.execAndGet("PRAGMA busy_timeout").getInt() == 5000);
  for (const char* table : {"incidents", "specialists", "changes", "timeline", "outbox", "deliveries", "postmortems",
                            "postmortem_sections", "postmortem_actions"})
    CHECK(db.tableExists(table));
}

TEST_CASE("open on a file creates its directory, uses WAL and keeps data across reopening") {
  TempDir dir;
  const auto path = (dir.path / "nested" / "incident-bot.db").string();
  {
    auto db = store::open(path);
    CHECK(fs::exists(path));
    CHECK(db.execAndGet("PRAGMA journal_mode").getString() == "wal");
    store::record_answer(db, "delivery-1", "done", 100);
  }
  auto reopened = store::open(path);
  CHECK(store::current_version(reopened) == store::schema_version);
  CHECK(store::earlier_answer(reopened, "delivery-1") == "done");
}

TEST_CASE("migrate brings an empty database to schema_version and is idempotent") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  REQUIRE(store::current_version(db) == 0);

  store::migrate(db);
  CHECK(store::current_version(db) == store::schema_version);
  const int objects = schema_objects(db);
  CHECK(objects > 0);

  store::migrate(db);
  CHECK(store::current_version(db) == store::schema_version);
  CHECK(schema_objects(db) == objects);
}

TEST_CASE("migrate refuses a database from a newer version and changes nothing") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  const int future = store::schema_version + 1;
  db.exec("PRAGMA user_version = " + std::to_string(future));

  CHECK_THROWS_AS(store::migrate(db), std::runtime_error);
  CHECK_THROWS_WITH(store::migrate(db), Catch::Contains("newer"));
  CHECK(store::current_version(db) == future);
  CHECK(schema_objects(db) == 0);
}

TEST_CASE("open refuses a file written by a newer version") {
  TempDir dir;
  fs::create_directories(dir.path);
  const auto path = (dir.path / "future.db").string();
  {
    SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA user_version = " + std::to_string(store::schema_version + 7));
  }
  CHECK_THROWS_AS(store::open(path), std::runtime_error);
}

TEST_CASE("a transaction that is not committed leaves nothing behind") {
  auto db = store::open(":memory:");
  Incident incident;
  incident.number = 1;
  incident.title = "checkout errors";
  incident.specialists = {"dana"};
  incident.changes = {Change{.sequence = 1, .what = "rolled back deploy", .actor = "erin", .at = 50}};

  {
    SQLite::Transaction transaction(db);
    store::save_incident(db, incident);
    store::append_timeline(db, 1, {TimelineEntry{.at = 50, .actor = "erin", .kind = "declared", .text = "declared"}});
    store::enqueue_post(db, {.platform = "slack", .channel = "C1", .kind = workflows::PostKind::card, .incident = 1,
                             .payload = "{}", .created_at = 50, .not_before = 50});
    store::record_answer(db, "delivery-1", "declared INC-1", 50);
  }  // destroyed without commit: rolled back

  CHECK_FALSE(store::load_incident(db, 1));
  CHECK(store::load_timeline(db, 1).empty());
  CHECK(store::pending_posts(db, "slack", 50, 10).empty());
  CHECK_FALSE(store::earlier_answer(db, "delivery-1"));
  for (const char* table : {"incidents", "specialists", "changes", "timeline", "outbox", "deliveries", "postmortems",
                            "postmortem_sections", "postmortem_actions"})
    CHECK(count_rows(db, table) == 0);
}

TEST_CASE("a committed transaction keeps everything it wrote") {
  auto db = store::open(":memory:");
  Incident incident;
  incident.number = 1;
  incident.title = "checkout errors";
  {
    SQLite::Transaction transaction(db);
    store::save_incident(db, incident);
    store::append_timeline(db, 1, {TimelineEntry{.at = 50, .actor = "erin", .kind = "declared", .text = "declared"}});
    store::record_answer(db, "delivery-1", "declared INC-1", 50);
    transaction.commit();
  }
  CHECK(store::load_incident(db, 1));
  CHECK(store::load_timeline(db, 1).size() == 1);
  CHECK(store::earlier_answer(db, "delivery-1") == "declared INC-1");
}

TEST_CASE("migration 8 indexes delivery ids by the time they were answered", "[prune]") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  store::migrate(db);
  store::testing::undo_migration_9(db);
  db.exec("DROP INDEX deliveries_by_at");  // back to version 7
  db.exec("PRAGMA user_version = 7");
  db.exec("INSERT INTO deliveries VALUES ('Ev1', 'answer', 100)");
  store::migrate(db);
  CHECK(store::current_version(db) == store::schema_version);
  CHECK(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'deliveries_by_at'").getInt() == 1);
  CHECK(store::prune_deliveries(db, 101, 500) == 1);
}
