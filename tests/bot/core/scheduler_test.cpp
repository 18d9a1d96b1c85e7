#include "bot/core/scheduler.hpp"

#include "bot/core/dispatcher.hpp"
#include "store/store.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <random>
#include <spdlog/sinks/null_sink.h>

using namespace incident_bot;

namespace {

constexpr Timestamp t0 = 1'795'000'000;
constexpr Seconds minutes = 60;
constexpr Seconds hours = 3600;

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

struct Fixture {
  store::Connection db = store::open(":memory:");
  Timestamp now = t0;
  boost::asio::io_context io;
  bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::PlatformTraits{}, quiet()};
  bot::Dispatcher slack_dispatcher{db, workflows::Policy{}, bot::slack_platform(false),
                                   quiet()};
  bot::Scheduler scheduler{io, db, workflows::Policy{}, [this] { return now; }, quiet()};
  int sweeps = 0;

  Fixture() { scheduler.on_swept([this] { ++sweeps; }); }

  void say(const std::string& text, const std::string& platform = "console") {
    (platform == "slack" ? slack_dispatcher : dispatcher).handle({"general", "alice", text, {}}, now);
    scheduler.rearm();
  }
  // Runs whatever the timer made ready, without waiting.
  void poll() {
    io.restart();
    io.poll();
  }
  int count(const std::string& sql) { return db.execAndGet(sql).getInt(); }
  int bot_entries(std::int64_t incident) {
    return count("SELECT count(*) FROM timeline WHERE actor = '' AND incident = " + std::to_string(incident));
  }
};

}  // namespace

TEST_CASE("the timer is armed at the earliest due time in the store, and re-armed by commands") {
  Fixture f;
  f.scheduler.rearm();
  CHECK_FALSE(f.scheduler.armed_for());
  f.say("declare Checkout down");
  CHECK(f.scheduler.armed_for() == t0 + 15 * minutes);  // the comms-lead nudge comes first
  f.say("INC-1 role comms @bob");
  CHECK(f.scheduler.armed_for() == t0 + 6 * hours);
  f.say("declare Pixel broken sev1");
  CHECK(f.scheduler.armed_for() == t0 + 15 * minutes);
  f.say("INC-2 role comms @bob");
  CHECK(f.scheduler.armed_for() == t0 + 1 * hours);
  f.say("INC-2 update pixel fires twice | next update: 10m");
  CHECK(f.scheduler.armed_for() == t0 + 10 * minutes);
}

TEST_CASE("when the timer fires the due reminders are stored with their timeline and outbox rows") {
  Fixture f;
  f.say("declare Checkout down");
  f.say("INC-1 role comms @bob");
  f.poll();
  CHECK(f.sweeps == 0);  // not due yet

  f.now = t0 + 6 * hours;
  f.scheduler.rearm();
  f.poll();
  CHECK(f.sweeps == 1);
  CHECK(f.bot_entries(1) == 1);
  const auto posts = store::pending_posts(f.db, "console", f.now, 10);
  REQUIRE(posts.size() == 3);  // the declaration's card and announcement, then the reminder
  CHECK(posts[2].kind == workflows::PostKind::reminder);
  CHECK(posts[2].channel == "inc-1-checkout-down");
  CHECK_THAT(bot::read_outbox_payload(posts[2].payload).text, Catch::StartsWith(":alarm_clock: @bob INC-1 needs a status update, due 2026-11-18 "));
  CHECK_THAT(posts[2].payload, Catch::Contains("UTC+00:00 (cadence 6h)"));
  CHECK(f.scheduler.armed_for() == t0 + 6 * hours + 15 * minutes);

  f.poll();  // nothing more is due at this time
  CHECK(f.bot_entries(1) == 1);
}

TEST_CASE("a sweep sends each incident's highest step once, however long the bot was away") {
  Fixture f;
  for (int i = 0; i < 3; ++i) f.say("declare Incident " + std::to_string(i));
  for (int i = 1; i <= 3; ++i) f.say("INC-" + std::to_string(i) + " role comms @bob");
  f.now = t0 + 3 * 24 * hours;
  CHECK(f.scheduler.sweep() == 3);
  CHECK(f.scheduler.sweep() == 0);
  for (int i = 1; i <= 3; ++i) {
    CHECK(f.bot_entries(i) == 1);
    CHECK(store::load_timeline(f.db, i).back().text == "Update overdue by 2d 18h: notice to #incidents");
  }
  CHECK(f.count("SELECT count(*) FROM outbox WHERE kind = 'reminder'") == 3);
}

TEST_CASE("a second scheduler on the same store finds nothing left to send") {
  Fixture f;
  f.say("declare Checkout down");
  f.say("INC-1 role comms @bob");
  f.now = t0 + 7 * hours;
  bot::Scheduler other{f.io, f.db, workflows::Policy{}, [&] { return f.now; }, quiet()};
  CHECK(f.scheduler.sweep() == 1);
  CHECK(other.sweep() == 0);
  CHECK(f.bot_entries(1) == 1);
}

TEST_CASE("reminders are rendered for the incident's platform, with direct messages where it has them") {
  Fixture f;
  f.say("declare Checkout down", "slack");
  f.say("INC-1 role comms @U42", "slack");
  f.now = t0 + 6 * hours;
  f.scheduler.sweep();
  auto posts = store::pending_posts(f.db, "slack", f.now, 10);
  std::erase_if(posts, [](const store::OutboxRow& row) { return row.kind != workflows::PostKind::reminder && row.kind != workflows::PostKind::direct; });
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].kind == workflows::PostKind::reminder);
  CHECK_THAT(bot::read_outbox_payload(posts[0].payload).text,
             Catch::StartsWith(":alarm_clock: <@U42> INC-1 needs a status update, due <!date^"));
  CHECK_FALSE(bot::read_outbox_payload(posts[0].payload).blocks.empty());
  CHECK(posts[1].kind == workflows::PostKind::direct);
  CHECK(posts[1].channel == "U42");
  CHECK(store::pending_posts(f.db, "console", f.now, 10).empty());
}

TEST_CASE("the postmortem nudges stop once the postmortem is marked done in the store") {
  Fixture f;
  f.say("declare Checkout down");
  f.say("INC-1 role comms @bob");
  f.say("INC-1 resolve rollback");
  f.say("INC-1 close --force drill");
  f.now = t0 + 24 * hours;
  CHECK(f.scheduler.sweep() == 1);
  CHECK(store::load_timeline(f.db, 1).back().kind == "postmortem-nudge");
  store::mark_postmortem_done(f.db, 1, f.now + 60);
  f.now = t0 + 48 * hours;
  CHECK(f.scheduler.sweep() == 1);  // the wake finds nothing left to send
  CHECK(f.bot_entries(1) == 1);
  CHECK_FALSE(store::earliest_due(f.db));
}

TEST_CASE("stop cancels the timer and keeps it from being armed again") {
  Fixture f;
  f.say("declare Checkout down");
  f.scheduler.stop();
  f.now = t0 + 7 * hours;
  f.scheduler.rearm();
  f.poll();
  CHECK(f.sweeps == 0);
  CHECK_FALSE(f.scheduler.armed_for());
}

TEST_CASE("the sweep pause comes from the environment, for the crash test only") {
  ::setenv("INCIDENT_BOT_SWEEP_PAUSE_MS", "250", 1);
  CHECK(bot::scheduler_options_from_environment().pause_after_each == std::chrono::milliseconds(250));
  ::setenv("INCIDENT_BOT_SWEEP_PAUSE_MS", "soon", 1);
  CHECK(bot::scheduler_options_from_environment().pause_after_each.count() == 0);
  ::unsetenv("INCIDENT_BOT_SWEEP_PAUSE_MS");
  CHECK(bot::scheduler_options_from_environment().pause_after_each.count() == 0);
}

TEST_CASE("each chat's incidents follow that chat's policy: an overdue notice goes to its own announcement channel") {
  Fixture f;
  workflows::Policy mattermost_policy;
  mattermost_policy.announce_channel = "town-incidents";
  f.scheduler.use_profile(bot::make_profile(bot::mattermost_platform(true), mattermost_policy));
  bot::Dispatcher mattermost{f.db, mattermost_policy, bot::mattermost_platform(true), quiet()};
  mattermost.handle({"general", "alice", "declare Checkout down", {}}, f.now);
  mattermost.handle({"general", "alice", "INC-1 role comms @bob", {}}, f.now);
  f.say("declare Pixel broken");
  f.say("INC-2 role comms @bob");
  f.now = t0 + 3 * 24 * hours;
  CHECK(f.scheduler.sweep() == 2);
  CHECK(store::load_timeline(f.db, 1).back().text == "Update overdue by 2d 18h: notice to #town-incidents");
  CHECK(store::load_timeline(f.db, 2).back().text == "Update overdue by 2d 18h: notice to #incidents");
  CHECK(f.count("SELECT count(*) FROM outbox WHERE platform = 'mattermost' AND channel = 'town-incidents' AND kind = 'reminder'") == 1);
}

TEST_CASE("a sweep the store refuses is logged and tried again; the scheduler recovers by itself") {
  const auto folder = std::filesystem::temp_directory_path() / ("incident-bot-sweep-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(folder);
  const std::string path = (folder / "bot.db").string();
  {
    auto db = store::open(path);
    db.setBusyTimeout(50);
    Timestamp now = t0;
    boost::asio::io_context io;
    bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::PlatformTraits{}, quiet()};
    bot::Scheduler scheduler{io, db, workflows::Policy{}, [&] { return now; }, quiet()};
    dispatcher.handle({"general", "alice", "declare Checkout down", {}}, now);
    now = t0 + 7 * hours;

    auto other = store::open(path);  // another process holds the write lock
    other.exec("BEGIN IMMEDIATE");
    scheduler.rearm();
    io.run_for(std::chrono::milliseconds(300));
    CHECK(scheduler.failing());
    CHECK(scheduler.failures_total() >= 1);
    CHECK_THAT(scheduler.last_failure(), Catch::Contains("locked"));

    other.exec("ROLLBACK");  // it lets go: the retry, a second later, sweeps
    io.restart();
    io.run_for(std::chrono::milliseconds(2500));
    CHECK_FALSE(scheduler.failing());
    CHECK(store::load_timeline(db, 1).back().actor.empty());  // the bot's reminder entry
    scheduler.stop();
  }
  std::filesystem::remove_all(folder);
}
