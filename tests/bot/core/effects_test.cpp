#include "bot/core/effects.hpp"

#include "bot/app/templates_dir.hpp"
#include "bot/core/dispatcher.hpp"
#include "bot/core/scheduler.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <filesystem>
#include <fstream>
#include <random>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

constexpr Timestamp t0 = 1'795'000'000;

std::shared_ptr<spdlog::logger> quiet() {
  return std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
}

std::vector<store::OutboxRow> posts_of_kind(SQLite::Database& db, const std::string& platform, workflows::PostKind kind,
                                            Timestamp now) {
  auto rows = store::pending_posts(db, platform, now, 100);
  std::erase_if(rows, [&](const store::OutboxRow& row) { return row.kind != kind; });
  return rows;
}

}  // namespace

TEST_CASE("a templates.dir override of the reminder document reaches a scheduled reminder") {
  const fs::path dir = fs::temp_directory_path() / ("incident-bot-effects-" + std::to_string(std::random_device{}()));
  fs::create_directories(dir);
  std::ofstream(dir / "reminder.text.mustache") << "OVERRIDDEN REMINDER for {{id}}: {{{lead}}}";
  auto loaded = bot::load_templates(dir.string());
  fs::remove_all(dir);
  REQUIRE(std::holds_alternative<std::shared_ptr<const templates::Library>>(loaded));
  const auto profile = bot::make_profile(bot::console_platform(), workflows::Policy{}, std::get<0>(loaded));

  auto db = store::open(":memory:");
  Timestamp now = t0;
  boost::asio::io_context io;
  bot::Dispatcher dispatcher(db, profile, quiet());
  bot::Scheduler scheduler(io, db, workflows::Policy{}, [&] { return now; }, quiet());
  scheduler.use_profile(profile);
  dispatcher.handle({"general", "alice", "declare Checkout down", {}}, now);
  dispatcher.handle({"general", "alice", "INC-1 role comms @bob", {}}, now);  // no comms-lead nudge in the way
  for (const auto& row : store::pending_posts(db, "console", now, 100)) store::mark_delivered(db, row.id, "", now);

  now = t0 + 6 * 3600 + 60;  // past the default six-hour cadence: the comms lead is reminded in the channel
  REQUIRE(scheduler.sweep() == 1);
  const auto reminders = posts_of_kind(db, "console", workflows::PostKind::reminder, now);
  // The incident channel's reminder is the reminder document; a notice elsewhere is plain text.
  const auto in_channel = std::find_if(reminders.begin(), reminders.end(),
                                       [](const store::OutboxRow& row) { return row.channel == "inc-1-checkout-down"; });
  REQUIRE(in_channel != reminders.end());
  CHECK_THAT(in_channel->payload, Catch::StartsWith("OVERRIDDEN REMINDER for INC-1: "));
}

TEST_CASE("the effects writer saves a changed outcome, enqueues its posts for its chat, and skips direct posts where the chat has none") {
  auto db = store::open(":memory:");
  const auto profile = bot::make_profile(bot::console_platform(), workflows::Policy{});
  bot::EffectsWriter effects(db, *profile);
  workflows::Outcome outcome;
  outcome.changed = true;
  Incident incident;
  incident.number = 1;
  incident.title = "Checkout down";
  incident.channel = "inc-1-checkout-down";
  outcome.incident = incident;
  outcome.posts.push_back({"incidents", workflows::PostKind::notice, {workflows::View::text, "hello"}});
  outcome.posts.push_back({"alice", workflows::PostKind::direct, {workflows::View::text, "to alice"}});
  effects.save(outcome, nullptr);
  effects.enqueue_posts(outcome, effects.context(&*outcome.incident, t0), t0);
  CHECK(store::load_incident(db, 1)->title == "Checkout down");
  const auto rows = store::pending_posts(db, "console", t0, 10);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].kind == workflows::PostKind::notice);
  CHECK(rows[0].payload == "hello");
  CHECK(rows[0].incident == 1);
}

TEST_CASE("the upkeep of an incident channel: invites, a topic when it changed, the card edited only when it changed") {
  auto db = store::open(":memory:");
  const auto profile = bot::make_profile(bot::slack_platform(true), workflows::Policy{});
  bot::EffectsWriter effects(db, *profile);
  Incident before;
  before.number = 1;
  before.title = "Checkout down";
  before.channel = "inc-1-checkout-down";
  before.owner = "U1";
  workflows::Outcome outcome;
  outcome.changed = true;
  outcome.incident = before;
  outcome.participants = {"U2"};
  effects.enqueue_chat_upkeep(&before, outcome, t0);
  auto rows = store::pending_posts(db, "slack", t0, 10);
  REQUIRE(rows.size() == 1);  // nothing the topic or the card shows changed
  CHECK(rows[0].kind == workflows::PostKind::invite);
  CHECK(rows[0].payload == "U2");

  outcome.incident->comms = "U2";
  outcome.participants.clear();
  effects.enqueue_chat_upkeep(&before, outcome, t0);
  rows = store::pending_posts(db, "slack", t0, 10);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].kind == workflows::PostKind::topic);
  CHECK(rows[2].kind == workflows::PostKind::card);
}
