#include "bot/app/health.hpp"

#include "fakes/captured_log.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"

#include <SQLiteCpp/Database.h>
#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

constexpr const char* signing_secret = "8f742231b10e8888abcd99yyyzzz85a5";

fakes::HttpAnswer health(const fakes::RunningBot& bot) { return fakes::http_call(bot.port(), "GET", "/healthz", ""); }

}  // namespace

TEST_CASE("healthz: another connection holding the write lock neither blocks it nor fails it") {
  fakes::RunningBot bot(bot::Config{}, bot::Secrets{signing_secret});
  SQLite::Database writer((bot.folder() / "bot.db").string(), SQLite::OPEN_READWRITE, 5000);
  writer.exec("BEGIN IMMEDIATE");
  writer.exec("INSERT INTO outbox (platform, channel, kind, incident, payload, created_at, not_before) "
              "VALUES ('slack', 'C1', 'notice', 0, '{}', 1, 1)");
  // Taking the lock would wait out the store's 5 s busy timeout and then fail: a 503.
  for (int i = 0; i < 3; ++i) {
    const auto answer = health(bot);
    CHECK(answer.status == 200);
    CHECK(answer.body == "ok\n");
  }
  writer.exec("ROLLBACK");
}

TEST_CASE("healthz: a store that cannot be read is 503 \"store: unavailable\", never the store's words, logged once") {
  fakes::CapturedLog log;
  fakes::RunningBot bot(bot::Config{}, bot::Secrets{signing_secret}, 1'795'000'000, fakes::quick_socket_mode(),
                        log.logger());
  SQLite::Database other((bot.folder() / "bot.db").string(), SQLite::OPEN_READWRITE, 5000);
  other.exec("ALTER TABLE outbox RENAME TO outbox_elsewhere");
  for (int i = 0; i < 20; ++i) {
    const auto answer = health(bot);
    CHECK(answer.status == 503);
    CHECK(answer.body == "store: unavailable\n");
  }
  CHECK(log.count("healthz: the store could not be read: no such table: outbox") == 1);

  other.exec("ALTER TABLE outbox_elsewhere RENAME TO outbox");
  CHECK(health(bot).body == "ok\n");
  CHECK(log.count("healthz: the store can be read again") == 1);
}
