#include "templates/render.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {
constexpr Timestamp now = 1'795'000'000;

Incident sample() {
  Incident incident;
  incident.number = 4;
  incident.title = "<!channel> Checkout & pixel";
  incident.severity = 2;
  incident.state = State::investigating;
  incident.channel = "inc-4-channel-checkout-pixel";
  incident.detector = "alice";
  incident.owner = "bob";
  incident.specialists = {"dan", "erin"};
  incident.symptom = "orders down 35%";
  incident.scope = "mobile";
  incident.layer = "conversion";
  incident.confidence = Confidence::medium;
  incident.next_check = "error rate";
  incident.next_check_owner = "dan";
  incident.last_update_at = now - 600;
  incident.next_update_due = now + 5400;
  return incident;
}

// A templated document as a reply shows it: through render, with the built-in templates.
std::string rendered(workflows::View view, const Incident& incident) {
  return templates::render({view, {}}, templates::RenderContext{&incident, nullptr, nullptr, now});
}
}  // namespace

TEST_CASE("the card shows state, severity, scope, layer, roles, last update and when the next is due") {
  const std::string card = rendered(workflows::View::card, sample());
  CHECK_THAT(card, Catch::StartsWith("*INC-4 · &lt;!channel&gt; Checkout &amp; pixel*"));
  CHECK_THAT(card, Catch::Contains("sev2 · investigating"));
  CHECK_THAT(card, Catch::Contains("*Scope:* mobile"));
  CHECK_THAT(card, Catch::Contains("*Likely layer:* conversion · *Confidence:* medium"));
  CHECK_THAT(card, Catch::Contains("*Owner:* <@bob> · *Comms:* _not yet known_ · *Detector:* <@alice>"));
  CHECK_THAT(card, Catch::Contains("*Specialists:* <@dan>, <@erin>"));
  CHECK_THAT(card, Catch::Contains("*Last update:* <!date^1794999400^{date_short_pretty} at {time}|"
                                   "2026-11-18 10:56 UTC+00:00> — orders down 35%"));
  CHECK_THAT(card, Catch::Contains("*Next check:* error rate — <@dan>"));
  CHECK_THAT(card, Catch::Contains("*Next update due:* <!date^1795005400^{date_short_pretty} at {time}|"
                                   "2026-11-18 12:36 UTC+00:00> (in 1h 30m)"));
}

TEST_CASE("an overdue update says by how much") {
  Incident incident = sample();
  incident.next_update_due = now - 900;
  CHECK_THAT(rendered(workflows::View::card, incident), Catch::Contains("overdue by 15m"));
}

TEST_CASE("the status update shows every evidence field, unknown ones as not yet known") {
  Incident empty;
  empty.number = 1;
  empty.title = "t";
  const std::string update = rendered(workflows::View::update, empty);
  for (const char* field : {"*Symptom:* _not yet known_", "*Scope and impact:* _not yet known_",
                            "*Likely layer:* _not yet known_", "*Confidence:* _not yet known_",
                            "*Owner:* _not yet known_", "*Next verifying check:* _not yet known_",
                            "*Mitigation in progress:* none yet"})
    CHECK_THAT(update, Catch::Contains(field));
}

TEST_CASE("the timeline lists every entry with its UTC time and actor") {
  const std::vector<TimelineEntry> entries{{now, "alice", "declared", "Declared"}, {now + 60, "", "note", "bot note"}};
  const std::string text = templates::timeline(sample(), entries);
  CHECK_THAT(text, Catch::Contains("<!date^1795000000^{date_short_pretty} at {time}|2026-11-18 11:06 UTC+00:00> · <@alice>"));
  const std::string plain = templates::convert(text, templates::Markup::plain);
  CHECK_THAT(plain, Catch::Contains("2026-11-18 11:06 UTC+00:00 · @alice · declared · Declared"));
  CHECK_THAT(plain, Catch::Contains("2026-11-18 11:07 UTC+00:00 · bot · note · bot note"));
}

TEST_CASE("help lists every verb with an example; help <verb> shows one; usage is escaped") {
  const std::string all = templates::help("");
  for (const char* verb : {"declare", "decline", "role", "update", "scope", "layer", "severity", "change", "verify",
                           "note", "resolve", "close", "reopen", "status", "list", "timeline", "help"})
    CHECK_THAT(all, Catch::Contains("`" + std::string(verb)));
  CHECK_THAT(all, Catch::Contains("&lt;title&gt;"));
  CHECK_THAT(templates::help("close"), Catch::Contains("Example:"));
}

TEST_CASE("render picks the document for the view and keeps a lead line") {
  const Incident incident = sample();
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  CHECK(templates::render({workflows::View::text, "plain"}, context) == "plain");
  CHECK_THAT(templates::render({workflows::View::card, "lead"}, context), Catch::StartsWith("lead\n*INC-4"));
  CHECK_THAT(templates::render({workflows::View::announcement, {}}, context), Catch::Contains("follow in #inc-4"));
  CHECK_THAT(templates::render({workflows::View::roles, {}}, context), Catch::Contains("*Comms lead:* _not yet known_"));
  CHECK(templates::render({workflows::View::list, {}}, context) == "No open incidents.");
}

TEST_CASE("the open list shows id, severity, state, title, owner and channel") {
  const std::vector<Incident> open{sample()};
  CHECK_THAT(templates::open_list(open, now),
             Catch::Contains("INC-4 · sev2 · investigating · &lt;!channel&gt; Checkout &amp; pixel · owner <@bob> · #inc-4"));
}

TEST_CASE("the card shows the incident's own cadence, the ladder and the cadence adherence") {
  Incident incident = sample();
  CHECK_THAT(rendered(workflows::View::card, incident), !Catch::Contains("*Cadence:*"));
  incident.reminders.own_cadence = 7200;
  incident.reminders.ladder_deadline = incident.next_update_due;
  incident.reminders.ladder_step = 2;
  incident.reminders.updates_on_time = 2;
  incident.reminders.updates_late = 1;
  incident.reminders.late_most = 1200;
  incident.reminders.late_total = 1200;
  CHECK_THAT(rendered(workflows::View::card, incident),
             Catch::Contains("\n*Cadence:* own cadence 2h · update reminders sent: 2 · updates 2 on time, 1 late "
                             "(by 20m at most, 20m in all)\n*Status page:* not published"));
}

TEST_CASE("the card shows what the status page says, and what waits for the owner's release") {
  Incident incident = sample();
  incident.public_state = PublicState{true, PublicStatus::identified, Impact::major, incident.declared_at, 1};
  CHECK_THAT(rendered(workflows::View::card, incident),
             Catch::Contains("*Status page:* identified · major · ") && Catch::Contains(" · 1 held for the owner's release"));
}

TEST_CASE("blocks: templated views use their blocks template, the others become sections") {
  const Incident incident = sample();
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  CHECK_THAT(templates::blocks({workflows::View::card, {}}, context), Catch::Contains("\"fields\""));
  CHECK_THAT(templates::blocks({workflows::View::roles, {}}, context),
             Catch::StartsWith(R"([{"type":"section","text":{"type":"mrkdwn","text":"*INC-4 roles*)"));
  CHECK(templates::blocks({workflows::View::text, "a & b"}, context) ==
        R"([{"type":"section","text":{"type":"mrkdwn","text":"a & b"}}])");
}

TEST_CASE("the reminder asks the owner for evidence and says how late the update is") {
  Incident incident = sample();
  incident.next_update_due = now - 900;
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  const std::string text = templates::render({workflows::View::reminder, {}}, context);
  CHECK_THAT(text, Catch::StartsWith("*INC-4 update overdue by 15m*"));
  CHECK_THAT(text, Catch::Contains("<@bob>, post what is known now"));
}

TEST_CASE("the postmortem view renders the draft from the incident and its postmortem") {
  const Incident incident = sample();
  Postmortem postmortem;
  postmortem.sections[PostmortemField::system_change] = "alert on checkout errors";
  templates::RenderContext context{&incident, nullptr, nullptr, now};
  context.postmortem = &postmortem;
  const std::string text = templates::render({workflows::View::postmortem, {}}, context);
  CHECK_THAT(text, Catch::StartsWith("*INC-4 postmortem (draft)*"));
  CHECK_THAT(text, Catch::Contains("alert on checkout errors"));
  CHECK_THAT(text, Catch::Contains("_Before `postmortem done`: what happened, what it cost"));
}

TEST_CASE("the postmortem's timeline shows what was published, approved and withdrawn") {
  const Incident incident = sample();
  const std::vector<TimelineEntry> timeline{
      {now, "carol", "publish", "Published to the status page: *identified* · impact major — payments fail"},
      {now + 60, "alice", "publish-approve", "Released to the status page: 1 update(s)"},
      {now + 120, "alice", "unpublish", "Withdrawn from the status page: wrong incident"},
      {now + 180, "alice", "note", "an internal note"}};
  templates::RenderContext context{&incident, &timeline, nullptr, now};
  const std::string text = templates::render({workflows::View::postmortem, {}}, context);
  CHECK_THAT(text, Catch::Contains("Published to the status page: *identified*"));
  CHECK_THAT(text, Catch::Contains("Released to the status page"));
  CHECK_THAT(text, Catch::Contains("Withdrawn from the status page: wrong incident"));
  CHECK_THAT(text, !Catch::Contains("an internal note"));
}

namespace {

// Five thousand entries, each with a long text, the newest last.
std::vector<TimelineEntry> long_history() {
  std::vector<TimelineEntry> entries;
  for (int i = 0; i < 5000; ++i)
    entries.push_back({now + i, i % 2 ? "alice" : "", i % 7 ? "update" : "note",
                       "entry " + std::to_string(i) + " - " + std::string(60, 'x')});
  return entries;
}

std::size_t section_count_and_check(const std::string& blocks_json) {
  const auto blocks = boost::json::parse(blocks_json).as_array();
  for (const auto& block : blocks) {
    const auto* text = block.as_object().if_contains("text");
    if (text && text->is_object()) CHECK(text->as_object().at("text").as_string().size() <= templates::max_section_text);
  }
  CHECK(blocks_json.find("more blocks not shown") == std::string::npos);
  return blocks.size();
}

}  // namespace

TEST_CASE("a long timeline shows the newest entries that fit, after a line naming the earlier ones", "[limits]") {
  const Incident incident = sample();
  const auto entries = long_history();
  CHECK(templates::timeline(incident, entries).size() > 400'000);  // no limit: every entry (export)
  for (const std::size_t limit : {std::size_t{12'000}, std::size_t{14'000}, std::size_t{100'000}}) {
    INFO(limit);
    const std::string text = templates::timeline(incident, entries, limit);
    CHECK(text.size() <= limit);
    CHECK(text.size() > limit - 200);
    CHECK_THAT(text, Catch::StartsWith("*INC-4 timeline*"));
    CHECK_THAT(text, Catch::EndsWith("entry 4999 - " + std::string(60, 'x')));
    CHECK_THAT(text, Catch::Contains(" earlier entries not shown; the whole timeline: `incident-bot export INC-4 --format md`"));
    CHECK(text.find("entry 0 ") == std::string::npos);
  }
  CHECK(templates::timeline(incident, {entries.begin(), entries.begin() + 3}, 12'000).find("earlier") == std::string::npos);
}

TEST_CASE("a timeline reply and its blocks stay within the chat's message limit", "[limits]") {
  const Incident incident = sample();
  const auto entries = long_history();
  templates::RenderContext context{&incident, &entries, nullptr, now};
  context.message_limit = 12'000;
  const workflows::Message message{workflows::View::timeline, "A lead line."};
  const std::string text = templates::render(message, context);
  CHECK(text.size() <= 12'000);
  CHECK_THAT(text, Catch::StartsWith("A lead line.\n*INC-4 timeline*"));
  CHECK(section_count_and_check(templates::blocks(message, context)) <= 10);
}

TEST_CASE("a long postmortem keeps its sections and the newest timeline entries within the limit", "[limits]") {
  const Incident incident = sample();
  const auto entries = long_history();
  Postmortem postmortem;
  postmortem.sections[PostmortemField::system_change] = "alert on checkout errors";
  templates::RenderContext context{&incident, &entries, nullptr, now};
  context.postmortem = &postmortem;
  CHECK(templates::render({workflows::View::postmortem, {}}, context).size() > 300'000);
  context.message_limit = 12'000;
  const std::string text = templates::render({workflows::View::postmortem, {}}, context);
  CHECK(text.size() <= 12'000);
  CHECK(text.size() > 11'000);
  CHECK_THAT(text, Catch::Contains("entry 4999 -"));
  CHECK_THAT(text, Catch::Contains(" earlier entries not shown; the whole timeline: `incident-bot export INC-4 --format md`"));
  CHECK_THAT(text, Catch::Contains("alert on checkout errors"));  // the sections after the timeline are all there
  CHECK_THAT(text, Catch::Contains("*Roles*"));
  const std::string blocks = templates::blocks({workflows::View::postmortem, {}}, context);
  CHECK(section_count_and_check(blocks) < templates::max_blocks);
  CHECK_THAT(blocks, Catch::Contains("entry 4999 -"));
  CHECK_THAT(blocks, Catch::Contains("alert on checkout errors"));
}

namespace {

// A nudge as the scheduler renders it: its view, and who is asked as its lead.
std::string nudge(workflows::View view, const Incident& incident, const std::string& asked,
                  const Postmortem* postmortem = nullptr, const workflows::Policy* policy = nullptr) {
  templates::RenderContext context{&incident, nullptr, nullptr, now};
  context.postmortem = postmortem;
  context.policy = policy;
  return templates::render({view, asked}, context);
}

bool mentions_an_update_due(const std::string& text) {
  return text.find("update due") != std::string::npos || text.find("Next update due") != std::string::npos ||
         text.find("post what is known now") != std::string::npos;
}

}  // namespace

TEST_CASE("the comms-lead nudge says there is no comms lead, how long since declared, and how to appoint one") {
  Incident incident = sample();
  incident.declared_at = now - 15 * 60;
  const std::string text = nudge(workflows::View::comms_nudge, incident, "<@bob>");
  CHECK_THAT(text, Catch::StartsWith("*INC-4 has no comms lead* — &lt;!channel&gt; Checkout &amp; pixel\n<@bob>, 15m after it "
                                     "was declared nobody is keeping stakeholders updated."));
  CHECK_THAT(text, Catch::Contains("`INC-4 role comms @user`"));
  CHECK_FALSE(mentions_an_update_due(text));
  const std::string fallback = nudge(workflows::View::comms_fallback, incident, "<!subteam^S1>");
  CHECK_THAT(fallback, Catch::StartsWith("*INC-4 still has no comms lead*"));
  CHECK_THAT(fallback, Catch::Contains("<!subteam^S1>, the owner was asked and 15m after it was declared nobody has the role"));
  CHECK_FALSE(mentions_an_update_due(fallback));
}

TEST_CASE("the close nudge says how long it was monitored, and what the status page still says") {
  Incident incident = sample();
  incident.state = State::monitoring;
  incident.resolved_at = now - 3600;
  incident.resolution = "rolled back";
  std::string text = nudge(workflows::View::close_nudge, incident, "<@bob>");
  CHECK_THAT(text, Catch::StartsWith("*INC-4 can be closed*"));
  CHECK_THAT(text, Catch::Contains("<@bob>, it has been monitored for 1h since it was resolved. `close` it"));
  CHECK_THAT(text, Catch::Contains("*Resolution:* rolled back"));
  CHECK(text.find("status page") == std::string::npos);
  incident.public_state = PublicState{true, PublicStatus::identified, Impact::major, now - 7200, 0};
  text = nudge(workflows::View::close_nudge, incident, "<@bob>");
  CHECK_THAT(text, Catch::Contains("The status page still says *identified*: when users can know it is over, "
                                   "`publish resolved &lt;public text&gt;`."));
  CHECK_FALSE(mentions_an_update_due(text));
}

TEST_CASE("the publish nudge names the definite impact and how long users have heard nothing") {
  Incident incident = sample();
  incident.reminders.impact_definite_at = now - 30 * 60;
  const std::string text = nudge(workflows::View::publish_nudge, incident, "<@carol>");
  CHECK_THAT(text, Catch::Contains("<@carol>, the impact is definite (scope: mobile, confidence medium) and the status page "
                                   "has said nothing for 30m."));
  CHECK_THAT(text, Catch::Contains("`publish investigating &lt;public text&gt; [impact:…]`"));
  CHECK_FALSE(mentions_an_update_due(text));
}

TEST_CASE("the postmortem nudge names the sections still to write and the cadence kept") {
  Incident incident = sample();
  incident.state = State::closed;
  incident.closed_at = now - 86400;
  incident.reminders.updates_on_time = 2;
  Postmortem postmortem;
  postmortem.sections[PostmortemField::what_happened] = "A deploy broke checkout";
  const std::string text = nudge(workflows::View::postmortem_nudge, incident, "<@bob>", &postmortem);
  CHECK_THAT(text, Catch::StartsWith("*INC-4 postmortem not done*"));
  CHECK_THAT(text, Catch::Contains("<@bob>, it closed 1d ago and the postmortem is not done"));
  CHECK_THAT(text, Catch::Contains("*Still to write:* what it cost, detection gap"));
  CHECK(text.find("to write:* what happened") == std::string::npos);
  CHECK_THAT(text, Catch::Contains("*Cadence:* updates 2 on time, 0 late"));
  CHECK_FALSE(mentions_an_update_due(text));
}
