#include "bot/core/dispatcher.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include <algorithm>
#include <sstream>

using namespace incident_bot;
using workflows::Visibility;

namespace {

constexpr Timestamp t0 = 1'795'000'000;

struct Fixture {
  store::Connection db = store::open(":memory:");
  std::ostringstream log;
  bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::PlatformTraits{},
                             std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log))};

  bot::Reply say(std::string text, std::string channel = "general", UserId user = "alice", std::string delivery = {},
                 Timestamp now = t0) {
    return dispatcher.handle({std::move(channel), std::move(user), std::move(text), std::move(delivery)}, now);
  }
};

}  // namespace

TEST_CASE("a declaration is stored with its timeline and its posts in the outbox") {
  Fixture f;
  const auto reply = f.say("declare Checkout fails on mobile sev2");
  CHECK(reply.visibility == Visibility::in_channel);
  CHECK_THAT(reply.text, Catch::StartsWith("INC-1 declared: Checkout fails on mobile"));
  const auto incident = store::load_incident(f.db, 1);
  REQUIRE(incident);
  CHECK(incident->declared_in == "general");
  CHECK(incident->platform == "console");
  CHECK(store::load_timeline(f.db, 1).size() == 1);
  const auto posts = store::pending_posts(f.db, "console", t0, 10);
  REQUIRE(posts.size() == 2);
  CHECK(posts[0].channel == "inc-1-checkout-fails-on-mobile");
  CHECK_THAT(posts[0].payload, Catch::Contains("INC-1 · Checkout fails on mobile"));
  CHECK(posts[1].channel == "incidents");
}

TEST_CASE("a malformed command gets a one-line error with the usage and changes nothing") {
  Fixture f;
  const auto reply = f.say("declare");
  CHECK(reply.visibility == Visibility::ephemeral);
  CHECK(reply.kind == bot::ReplyKind::usage_error);
  CHECK_THAT(reply.text, Catch::Contains("usage: declare <title>"));
  CHECK(reply.text.find('\n') == std::string::npos);
  CHECK(store::open_incidents(f.db).empty());
  CHECK(store::pending_posts(f.db, "console", t0, 10).empty());
}

TEST_CASE("a reply says whether the command was done, refused, or not a command") {
  Fixture f;
  CHECK(f.say("declare Checkout down").kind == bot::ReplyKind::ok);
  CHECK(f.say("INC-1 status").kind == bot::ReplyKind::ok);
  const auto refused = f.say("INC-1 close");
  CHECK(refused.kind == bot::ReplyKind::refused);
  CHECK_THAT(refused.text, Catch::Contains("INC-1 is triage"));
  CHECK(f.say("INC-9 note gone").kind == bot::ReplyKind::refused);
  CHECK(f.say("severity sev9").kind == bot::ReplyKind::usage_error);
}

TEST_CASE("a redelivered request gets the first answer's kind too") {
  Fixture f;
  f.say("declare Checkout down", "general", "alice", "d-1");
  for (const auto& [text, kind] : {std::pair{"INC-1 close", bot::ReplyKind::refused},
                                   std::pair{"INC-1 severity", bot::ReplyKind::usage_error},
                                   std::pair{"INC-1 note seen", bot::ReplyKind::ok}}) {
    const std::string delivery = std::string("d-") + text;
    const auto first = f.say(text, "general", "alice", delivery);
    const auto again = f.say(text, "general", "alice", delivery, t0 + 5);
    CHECK(first.kind == kind);
    CHECK(again.kind == kind);
    CHECK(again.text == first.text);
    CHECK(again.visibility == first.visibility);
  }
}

TEST_CASE("a command already parsed is handled as given; its text is not read") {
  Fixture f;
  f.say("declare Checkout down");
  bot::Invocation invocation{"general", "alice", "not a command", {}};
  invocation.parsed = commands::Parsed{1, commands::Update{"scope: EU | orders down"}};
  const auto reply = f.dispatcher.handle(invocation, t0 + 60);
  CHECK(reply.kind == bot::ReplyKind::ok);
  CHECK_THAT(reply.text, Catch::StartsWith("INC-1 update posted."));
  CHECK(store::load_incident(f.db, 1)->symptom == "scope: EU | orders down");
}

TEST_CASE("inside an incident's channel the incident is implied") {
  Fixture f;
  f.say("declare Pixel broken");
  f.say("declare Spend stopped");
  const auto reply = f.say("scope EU only", "inc-2-spend-stopped", "zed");
  CHECK_THAT(reply.text, Catch::Contains("INC-2 scope: EU only"));
  CHECK(store::load_incident(f.db, 2)->scope == "EU only");
}

TEST_CASE("elsewhere INC-N addresses, or the one incident the user holds a role in") {
  Fixture f;
  f.say("declare Pixel broken", "general", "alice");
  f.say("declare Spend stopped", "general", "bob");
  CHECK_THAT(f.say("note from bob", "general", "bob").text, Catch::Contains("INC-2 note added"));
  CHECK_THAT(f.say("INC-1 note from bob", "general", "bob").text, Catch::Contains("INC-1 note added"));
  const auto ambiguous = f.say("note who am I", "general", "zed");
  CHECK_THAT(ambiguous.text, Catch::Contains("Which incident?"));
  CHECK_THAT(ambiguous.text, Catch::Contains("INC-1 (Pixel broken), INC-2 (Spend stopped)"));
  CHECK_THAT(f.say("INC-9 status").text, Catch::Contains("INC-9 does not exist"));
}

TEST_CASE("a redelivered request gets the first answer and is not done twice") {
  Fixture f;
  const auto first = f.say("declare Checkout down", "general", "alice", "delivery-1");
  const auto again = f.say("declare Checkout down", "general", "alice", "delivery-1", t0 + 5);
  CHECK(again.text == first.text);
  CHECK(again.visibility == first.visibility);
  CHECK(store::open_incidents(f.db).size() == 1);
  CHECK(store::pending_posts(f.db, "console", t0 + 5, 10).size() == 2);
  CHECK_THAT(f.log.str(), Catch::Contains("delivery-1 seen before"));
}

TEST_CASE("timeline and list read the store") {
  Fixture f;
  f.say("declare Checkout down");
  f.say("INC-1 note looked at the dashboards");
  const auto timeline = f.say("INC-1 timeline");
  CHECK(timeline.visibility == Visibility::ephemeral);
  CHECK_THAT(timeline.text, Catch::Contains("note · looked at the dashboards"));
  CHECK_THAT(f.say("list").text, Catch::Contains("INC-1 · sev3 · triage · Checkout down"));
}

namespace {

struct SlackFixture {
  store::Connection db = store::open(":memory:");
  bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::slack_platform(true),
                             std::make_shared<spdlog::logger>("test")};

  bot::Reply say(std::string text, std::string channel = "C0GENERAL", bool reply_as_post = false, Timestamp now = t0) {
    return dispatcher.handle({std::move(channel), "U1", std::move(text), {}, reply_as_post}, now);
  }
};

}  // namespace

TEST_CASE("a chat with incident channels gets invites, the topic and an edited card") {
  SlackFixture f;
  f.say("declare Pixel broken");
  const auto rows = store::pending_posts(f.db, "slack", t0, 100);
  REQUIRE(rows.size() == 4);
  CHECK(rows[0].kind == workflows::PostKind::card);
  CHECK(rows[1].kind == workflows::PostKind::announcement);
  CHECK(rows[2].kind == workflows::PostKind::invite);
  CHECK(rows[2].payload == "U1");
  CHECK(rows[3].kind == workflows::PostKind::topic);
  CHECK_THAT(rows[3].payload, Catch::StartsWith("INC-1 · sev3 · triage · owner <@U1>"));
  for (const auto& row : rows) store::mark_delivered(f.db, row.id, "ts", t0);

  f.say("INC-1 role comms <@U2>");
  const auto after_role = store::pending_posts(f.db, "slack", t0, 100);
  REQUIRE(after_role.size() == 3);
  CHECK(after_role[0].kind == workflows::PostKind::invite);
  CHECK(after_role[0].payload == "U2");
  CHECK(after_role[1].kind == workflows::PostKind::topic);
  CHECK(after_role[2].kind == workflows::PostKind::card);
  CHECK_THAT(after_role[2].payload, Catch::Contains("*Comms:* <@U2>"));
  for (const auto& row : after_role) store::mark_delivered(f.db, row.id, "ts", t0);

  f.say("INC-1 note nothing on the card changes");
  CHECK(store::pending_posts(f.db, "slack", t0, 100).empty());
}

TEST_CASE("commands typed in a chat's incident channel find the incident by the chat's channel id") {
  SlackFixture f;
  f.say("declare Pixel broken");
  store::remember_channel(f.db, "slack", "inc-1-pixel-broken", "C0INC1", 1);
  CHECK_THAT(f.say("scope EU only", "C0INC1").text, Catch::Contains("INC-1 scope: EU only"));
}

TEST_CASE("an in-channel reply to a button or a modal becomes a post in that channel") {
  SlackFixture f;
  f.say("declare Pixel broken");
  for (const auto& row : store::pending_posts(f.db, "slack", t0, 100)) store::mark_delivered(f.db, row.id, "ts", t0);
  f.say("INC-1 role comms <@U2>", "C0INC1", true);
  const auto rows = store::pending_posts(f.db, "slack", t0, 100);
  REQUIRE_FALSE(rows.empty());
  CHECK(rows[0].kind == workflows::PostKind::reply);
  CHECK(rows[0].channel == "C0INC1");
  CHECK_THAT(rows[0].payload, Catch::Contains("<@U2> is now comms lead"));
}

TEST_CASE("the postmortem is drafted, filled, refused while incomplete and done once complete") {
  Fixture f;
  f.say("declare Pixel stopped firing sev2 layer:measurement");
  f.say("INC-1 resolve pixel restored", "general", "alice", {}, t0 + 600);
  f.say("INC-1 close", "general", "alice", {}, t0 + 3000);
  CHECK_THAT(f.say("INC-1 postmortem").text, Catch::StartsWith("INC-1 postmortem (draft)"));
  f.say("INC-1 postmortem set cost €4k of spend on bad data", "general", "alice", {}, t0 + 3100);
  const auto refused = f.say("INC-1 postmortem done", "general", "alice", {}, t0 + 3200);
  CHECK_THAT(refused.text, Catch::Contains("missing what happened (`what-happened`), detection gap (`detection-gap`)"));
  CHECK(store::load_postmortem(f.db, 1).done_at == 0);

  for (const char* line : {"INC-1 postmortem set what-happened theme release dropped the snippet",
                           "INC-1 postmortem set detection-gap no platform-vs-store alert",
                           "INC-1 postmortem set causal-layer measurement",
                           "INC-1 postmortem set evidence zero events from 10:02",
                           "INC-1 postmortem set system-change release checklist checks the pixel",
                           "INC-1 action add a pixel-vs-orders alert @sam due 2026-12-01"})
    f.say(line, "general", "alice", {}, t0 + 3300);
  const auto done = f.say("INC-1 postmortem done", "general", "alice", {}, t0 + 3400);
  CHECK_THAT(done.text, Catch::Contains("INC-1 postmortem done"));
  const auto postmortem = store::load_postmortem(f.db, 1);
  CHECK(postmortem.done_at == t0 + 3400);
  CHECK(postmortem.actions.size() == 1);
  const auto posts = store::pending_posts(f.db, "console", t0 + 3400, 50);
  REQUIRE_FALSE(posts.empty());
  const auto& posted = *std::find_if(posts.begin(), posts.end(), [](const auto& row) { return row.kind == workflows::PostKind::postmortem; });
  CHECK_THAT(posted.payload, Catch::Contains("What it cost\n€4k of spend on bad data"));
  CHECK_THAT(posted.payload, Catch::Contains("1. add a pixel-vs-orders alert — @sam, due 2026-12-01"));
  CHECK_THAT(f.say("INC-1 timeline").text, Catch::Contains("postmortem · Postmortem done"));
}

TEST_CASE("declaring an incident like an earlier one names the family and its recorded fix") {
  Fixture f;
  f.say("declare Meta pixel not firing on checkout layer:measurement");
  f.say("INC-1 resolve restored", "general", "alice", {}, t0 + 60);
  f.say("INC-1 close --force drill", "general", "alice", {}, t0 + 120);
  f.say("INC-1 postmortem set system-change Tag Manager preview before publishing", "general", "alice", {}, t0 + 180);
  const auto declared = f.say("declare Pixel stopped firing after release layer:measurement", "general", "bob", {}, t0 + 240);
  CHECK_THAT(declared.text, Catch::Contains("Same family as INC-1 (Meta pixel not firing on checkout) — its fix was: "
                                            "Tag Manager preview before publishing"));
  CHECK_THAT(f.say("INC-2 postmortem").text, Catch::Contains("Same family as INC-1"));
}

TEST_CASE("the postmortem names the family of the causal layer it records, on both sides") {
  Fixture f;
  f.say("declare Meta pixel not firing on checkout layer:conversion");
  f.say("declare Pixel stopped firing after release layer:delivery");
  CHECK(f.say("INC-2 postmortem").text.find("Same family") == std::string::npos);
  f.say("INC-1 postmortem set causal-layer measurement");
  f.say("INC-2 postmortem set causal-layer measurement");
  CHECK_THAT(f.say("INC-2 postmortem").text, Catch::Contains("Same family as INC-1"));
  CHECK(f.say("INC-1 postmortem").text.find("Same family") == std::string::npos);  // only earlier incidents
}

namespace {

// Two stores alike but for the private INC-2 in one: an outsider must not be able to tell them apart.
struct PrivateOrMissing {
  std::ostringstream log;
  std::shared_ptr<spdlog::logger> logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  store::Connection with_db = store::open(":memory:");
  store::Connection without_db = store::open(":memory:");
  bot::Dispatcher with_private{with_db, workflows::Policy{}, bot::slack_platform(true), logger};
  bot::Dispatcher without{without_db, workflows::Policy{}, bot::slack_platform(true), logger};

  PrivateOrMissing() {
    for (auto* dispatcher : {&with_private, &without}) dispatcher->handle({"C0GENERAL", "U0ALICE", "declare Checkout slow"}, t0);
    with_private.handle({"C0GENERAL", "U0ALICE", "declare Credential leak sev1 private"}, t0);
    store::remember_channel(with_db, "slack", "inc-2-credential-leak", "C0SECRET", 2);
  }
  bot::Reply as(bot::Dispatcher& dispatcher, const std::string& user, const std::string& text,
                const std::string& channel = "C0GENERAL", std::vector<std::int64_t> member_of = {}) {
    bot::Invocation invocation{channel, user, text, {}};
    invocation.member_of = std::move(member_of);
    return dispatcher.handle(invocation, t0 + 60);
  }
};

void same_reply(const bot::Reply& seen, const bot::Reply& missing) {
  CHECK(seen.text == missing.text);
  CHECK(seen.blocks == missing.blocks);
  CHECK(seen.kind == missing.kind);
  CHECK(seen.visibility == missing.visibility);
}

}  // namespace

TEST_CASE("access: every verb an outsider names a private incident with is answered as for a missing one") {
  PrivateOrMissing worlds;
  const auto before = store::load_incident(worlds.with_db, 2);
  const auto entries = store::load_timeline(worlds.with_db, 2).size();
  for (const std::string verb :
       {"", "status", "timeline", "postmortem", "postmortem set cost none", "postmortem done", "action rotate keys <@U0MALLORY>",
        "update Keys leaked | next: rotate", "note hello", "role", "role specialist <@U0MALLORY>", "assign owner <@U0MALLORY>",
        "scope all", "layer delivery", "severity sev2", "change rotated keys", "verify keys rotated", "resolve done", "close",
        "close --force drill", "reopen", "snooze 30m", "cadence 1h", "decline noise", "help", "list"}) {
    DYNAMIC_SECTION("INC-2 " << verb) {
      const auto seen = worlds.as(worlds.with_private, "U0MALLORY", "INC-2 " + verb);
      const auto missing = worlds.as(worlds.without, "U0MALLORY", "INC-2 " + verb);
      same_reply(seen, missing);
      if (verb != "help" && verb != "list") CHECK(missing.text == "INC-2 does not exist.");
    }
  }
  CHECK(store::load_incident(worlds.with_db, 2) == before);
  CHECK(store::load_timeline(worlds.with_db, 2).size() == entries);
}

TEST_CASE("access: without INC-N an outsider's list and which-incident refusal leave the private incident out") {
  PrivateOrMissing worlds;
  for (const std::string text : {"list", "status", "note hello", "role specialist <@U0MALLORY>", "timeline"}) {
    DYNAMIC_SECTION(text) {
      const auto seen = worlds.as(worlds.with_private, "U0MALLORY", text);
      same_reply(seen, worlds.as(worlds.without, "U0MALLORY", text));
      CHECK(seen.text.find("Credential leak") == std::string::npos);
    }
  }
  CHECK_THAT(worlds.as(worlds.with_private, "U0MALLORY", "status").text,
             Catch::Equals("Which incident? Write INC-N first. Open: INC-1 (Checkout slow)"));
  CHECK(store::load_incident(worlds.with_db, 2)->specialists.empty());
}

TEST_CASE("access: the declarer, role holders and the channel's members see a private incident") {
  PrivateOrMissing worlds;
  auto& chat = worlds.with_private;
  CHECK_THAT(worlds.as(chat, "U0ALICE", "INC-2 status").text, Catch::Contains("Credential leak"));
  CHECK_THAT(worlds.as(chat, "U0ALICE", "list").text, Catch::Contains("Credential leak"));
  // The declarer handed both roles on, and is still let in.
  worlds.as(chat, "U0ALICE", "INC-2 role owner <@U0BOB>");
  worlds.as(chat, "U0BOB", "INC-2 role detector <@U0BOB>");
  CHECK(worlds.as(chat, "U0ALICE", "INC-2 note still here").kind == bot::ReplyKind::ok);
  CHECK_THAT(worlds.as(chat, "U0BOB", "INC-2 timeline").text, Catch::Contains("Credential leak"));
  // The chat says carol is in the channel; dave typed inside it.
  CHECK_THAT(worlds.as(chat, "U0CAROL", "INC-2 status", "C0GENERAL", {2}).text, Catch::Contains("Credential leak"));
  CHECK_THAT(worlds.as(chat, "U0CAROL", "list", "C0GENERAL", {2}).text, Catch::Contains("Credential leak"));
  CHECK_THAT(worlds.as(chat, "U0DAVE", "scope all logins", "C0SECRET").text, Catch::Contains("INC-2 scope: all logins"));
  // Membership of another incident's channel lets nobody in.
  CHECK(worlds.as(chat, "U0CAROL", "INC-2 status", "C0GENERAL", {1}).text == "INC-2 does not exist.");
}

TEST_CASE("access: a role holder lets someone in; an outsider can let in nobody") {
  PrivateOrMissing worlds;
  auto& chat = worlds.with_private;
  CHECK(worlds.as(chat, "U0MALLORY", "INC-2 role specialist <@U0CAROL>").text == "INC-2 does not exist.");
  CHECK(worlds.as(chat, "U0CAROL", "INC-2 status").text == "INC-2 does not exist.");
  CHECK(worlds.as(chat, "U0ALICE", "INC-2 role specialist <@U0CAROL>").kind == bot::ReplyKind::ok);
  CHECK_THAT(worlds.as(chat, "U0CAROL", "INC-2 status").text, Catch::Contains("Credential leak"));
  CHECK(worlds.as(chat, "U0CAROL", "INC-2 role specialist <@U0ERIN>").kind == bot::ReplyKind::ok);
  CHECK(store::load_incident(worlds.with_db, 2)->specialists == std::vector<UserId>{"U0CAROL", "U0ERIN"});
}

TEST_CASE("access: on the console only role holders and the declarer see a private incident, wherever typed") {
  Fixture f;
  f.say("declare Credential leak private", "general", "alice");
  bot::Invocation inside{"inc-1-credential-leak", "mallory", "status", {}};
  inside.member_of = {1};
  CHECK_THAT(f.dispatcher.handle(inside, t0).text, Catch::Equals("There is no open incident. Declare one with `declare <title>`."));
  CHECK(f.say("INC-1 status", "general", "mallory").text == "INC-1 does not exist.");
  CHECK_THAT(f.say("INC-1 status", "general", "alice").text, Catch::Contains("Credential leak"));
}

TEST_CASE("access: an earlier private incident is no family an outsider is told of") {
  PrivateOrMissing worlds;
  worlds.as(worlds.with_private, "U0ALICE", "declare Signing token stolen layer:operations private");
  const auto outsider = worlds.as(worlds.with_private, "U0MALLORY", "declare Signing token stolen again layer:operations");
  CHECK(outsider.text.find("Same family") == std::string::npos);
  const auto declarer = worlds.as(worlds.with_private, "U0ALICE", "declare Signing token stolen once more layer:operations");
  CHECK_THAT(declarer.text, Catch::Contains("Same family as INC-3"));
}

TEST_CASE("timeline and postmortem replies of a 5,000-entry incident fit every chat's message", "[limits]") {
  struct Chat {
    bot::PlatformTraits traits;
    std::size_t most_text;
  };
  for (const Chat& chat : {Chat{bot::slack_platform(true), 40'000}, Chat{bot::mattermost_platform(true), 16'383},
                           Chat{bot::console_platform(), 100'000}}) {
    INFO(chat.traits.name);
    store::Connection db = store::open(":memory:");
    bot::Dispatcher dispatcher{db, workflows::Policy{}, chat.traits,
                               std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>())};
    dispatcher.handle({"general", "alice", "declare Checkout fails on mobile", {}}, t0);
    std::vector<TimelineEntry> entries;
    for (int i = 0; i < 5000; ++i) entries.push_back({t0 + i, "alice", "update", "step " + std::to_string(i) + std::string(80, '.')});
    store::append_timeline(db, 1, entries);
    for (const std::string verb : {"timeline", "postmortem"}) {
      INFO(verb);
      const auto reply = dispatcher.handle({"general", "alice", "INC-1 " + verb, {}}, t0 + 5000);
      CHECK(reply.text.size() <= std::min(chat.most_text, chat.traits.message_limit));
      CHECK_THAT(reply.text, Catch::Contains("step 4999."));
      CHECK_THAT(reply.text, Catch::Contains("earlier entries not shown; the whole timeline: `incident-bot export INC-1 --format md`"));
      if (!chat.traits.block_kit) continue;
      const auto blocks = boost::json::parse(reply.blocks).as_array();
      CHECK(blocks.size() < templates::max_blocks);
      for (const auto& block : blocks)
        if (const auto* text = block.as_object().if_contains("text"); text && text->is_object())
          CHECK(text->as_object().at("text").as_string().size() <= templates::max_section_text);
      CHECK_THAT(reply.blocks, Catch::Contains("step 4999."));
      CHECK(reply.blocks.find("more blocks not shown") == std::string::npos);
    }
  }
}
