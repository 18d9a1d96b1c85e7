#include "fixtures.hpp"
#include "workflows/public_entry.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;
using namespace incident_bot::commands;

namespace {

workflows::Policy page_policy() {
  workflows::Policy policy;
  policy.components = {{"Checkout", "Cart and payment"}, {"Web app", ""}};
  policy.status_page_url = "https://status.example.com";
  return policy;
}

// An incident with alice as owner and carol as comms lead.
Incident staffed(const workflows::Policy& policy, bool is_private = false) {
  Incident incident = declared(policy, "Checkout fails on mobile", 2);
  incident.owner = "alice";
  incident.comms = "carol";
  incident.is_private = is_private;
  return incident;
}

workflows::Outcome with_entry(const workflows::Policy& policy, const Incident& incident, const PublicEntry* entry,
                              const Command& command, UserId actor, Timestamp now = t0 + hours) {
  auto request = at(policy, now, std::move(actor));
  request.public_entry = entry;
  request.fresh_public_id = "k3x9q2m7zt4a";
  return workflows::handle(request, &incident, command);
}

Publish identified(std::string text = "Card payments fail for some customers") {
  return Publish{PublicStatus::identified, std::move(text), std::nullopt, {}};
}

}  // namespace

TEST_CASE("the comms lead's first publish creates the public entry with the incident's title") {
  const auto policy = page_policy();
  const Incident incident = staffed(policy);
  Publish command = identified();
  command.components = {"checkout", "WEB-APP"};
  const auto outcome = with_entry(policy, incident, nullptr, command, "carol");
  REQUIRE(outcome.changed);
  REQUIRE(outcome.public_entry);
  const PublicEntry& entry = *outcome.public_entry;
  CHECK(entry.public_id == "k3x9q2m7zt4a");
  CHECK(entry.title == "Checkout fails on mobile");
  REQUIRE(entry.updates.size() == 1);
  CHECK(entry.updates[0].status == PublicStatus::identified);
  CHECK(entry.updates[0].impact == Impact::major);  // a sev2 without impact: written
  CHECK(entry.updates[0].components == std::vector<std::string>{"Checkout", "Web app"});
  CHECK(entry.updates[0].display_at == t0 + hours);
  CHECK(entry.is_public());
  CHECK(outcome.incident->public_state == PublicState{true, PublicStatus::identified, Impact::major, t0 + hours, 0});
  CHECK(outcome.visibility == workflows::Visibility::in_channel);
  CHECK_THAT(outcome.reply.text, Catch::Contains("https://status.example.com/status/incidents/k3x9q2m7zt4a"));
  REQUIRE(outcome.timeline.size() == 1);
  CHECK(outcome.timeline[0].kind == "publish");
  CHECK_THAT(outcome.timeline[0].text, Catch::StartsWith("Published to the status page: *identified* · impact major"));
}

TEST_CASE("a later publish keeps the impact and components unless it names them") {
  const auto policy = page_policy();
  const Incident incident = staffed(policy);
  Publish first = identified();
  first.impact = Impact::critical;
  first.components = {"checkout"};
  const auto published = with_entry(policy, incident, nullptr, first, "alice");
  const auto later = with_entry(policy, *published.incident, &*published.public_entry,
                                Publish{PublicStatus::monitoring, "A fix is deployed", std::nullopt, {}}, "carol", t0 + 2 * hours);
  REQUIRE(later.public_entry->updates.size() == 2);
  CHECK(later.public_entry->public_id == "k3x9q2m7zt4a");
  CHECK(later.public_entry->updates[1].impact == Impact::critical);
  CHECK(later.public_entry->updates[1].components == std::vector<std::string>{"Checkout"});
  CHECK(later.public_entry->updates[1].sequence == 2);
}

TEST_CASE("only the comms lead or the owner may publish; the refusal names them") {
  const auto policy = page_policy();
  const Incident incident = staffed(policy);
  for (const Command& command : std::vector<Command>{identified(), PublishTitle{"x"}, Unpublish{"x"}}) {
    const auto outcome = with_entry(policy, incident, nullptr, command, "mallory");
    CHECK_FALSE(outcome.changed);
    CHECK(outcome.refused);
    CHECK(outcome.reply.text == "Only the comms lead <@carol> or the owner <@alice> may publish to the status page for INC-1.");
  }
  Incident unstaffed = declared(policy);
  unstaffed.owner.clear();
  CHECK_THAT(with_entry(policy, unstaffed, nullptr, identified(), "bob").reply.text,
             Catch::Contains("has no comms lead or owner yet"));
}

TEST_CASE("components must be configured ones; the refusal lists them") {
  const auto policy = page_policy();
  Publish command = identified();
  command.components = {"payments"};
  const auto outcome = with_entry(policy, staffed(policy), nullptr, command, "carol");
  CHECK(outcome.refused);
  CHECK(outcome.reply.text == "Unknown component payments; the status page has: Checkout, Web app.");
  CHECK_THAT(with_entry(workflows::Policy{}, staffed(policy), nullptr, command, "carol").reply.text,
             Catch::Contains("no components are configured (`status_page.components`)"));
}

TEST_CASE("a disabled status page and a declined incident publish nothing") {
  auto policy = page_policy();
  Incident declined = staffed(policy);
  declined.state = State::declined;
  CHECK(with_entry(policy, declined, nullptr, identified(), "carol").refused);
  policy.status_page = false;
  CHECK_THAT(with_entry(policy, staffed(policy), nullptr, identified(), "carol").reply.text,
             Catch::Contains("status_page.enabled"));
}

TEST_CASE("a private incident's publish by the comms lead is held until the owner approves it") {
  const auto policy = page_policy();
  const Incident incident = staffed(policy, true);
  const auto drafted = with_entry(policy, incident, nullptr, identified("We are investigating unusual account activity"),
                                  "carol");
  REQUIRE(drafted.public_entry);
  CHECK_FALSE(drafted.public_entry->is_public());
  CHECK(drafted.public_entry->updates[0].held());
  CHECK(drafted.incident->public_state.published == false);
  CHECK(drafted.incident->public_state.held == 1);
  CHECK(drafted.visibility == workflows::Visibility::ephemeral);
  CHECK_THAT(drafted.timeline[0].text, Catch::StartsWith("Public update drafted, held for the owner's release"));
  // The owner is asked, in the incident's channel and directly.
  REQUIRE(drafted.posts.size() == 2);
  CHECK(drafted.posts[0].channel == incident.channel);
  CHECK_THAT(drafted.posts[0].message.text, Catch::Contains("`publish approve`"));
  CHECK(drafted.posts[1].channel == "alice");
  CHECK(drafted.posts[1].kind == workflows::PostKind::direct);

  // Only the owner releases it.
  const auto by_comms = with_entry(policy, *drafted.incident, &*drafted.public_entry, PublishApprove{}, "carol");
  CHECK(by_comms.refused);
  CHECK(by_comms.reply.text == "Only the owner <@alice> may release held public updates of INC-1.");
  const auto approved = with_entry(policy, *drafted.incident, &*drafted.public_entry, PublishApprove{}, "alice",
                                   t0 + 2 * hours);
  REQUIRE(approved.changed);
  CHECK(approved.public_entry->is_public());
  CHECK(approved.public_entry->updates[0].display_at == t0 + 2 * hours);
  CHECK(approved.public_entry->updates[0].created_at == t0 + hours);
  CHECK(approved.incident->public_state == PublicState{true, PublicStatus::identified, Impact::major, t0 + 2 * hours, 0});
  CHECK(approved.timeline[0].kind == "publish-approve");
  CHECK(with_entry(policy, *approved.incident, &*approved.public_entry, PublishApprove{}, "alice").reply.text ==
        "Nothing of INC-1 is held for release.");
}

TEST_CASE("the owner's own publish of a private incident goes out at once; a held title waits") {
  const auto policy = page_policy();
  const Incident incident = staffed(policy, true);
  const auto by_owner = with_entry(policy, incident, nullptr, identified(), "alice");
  CHECK(by_owner.public_entry->is_public());
  const auto title = with_entry(policy, *by_owner.incident, &*by_owner.public_entry, PublishTitle{"Account security"}, "carol");
  CHECK(title.public_entry->title == "Checkout fails on mobile");
  CHECK(title.public_entry->held_title == "Account security");
  const auto approved = with_entry(policy, *title.incident, &*title.public_entry, PublishApprove{}, "alice");
  CHECK(approved.public_entry->title == "Account security");
  CHECK(approved.public_entry->held_title.empty());
}

TEST_CASE("publish alone shows what is public, what is held and what would change") {
  const auto policy = page_policy();
  Incident incident = staffed(policy);
  const auto nothing = with_entry(policy, incident, nullptr, PublishShow{}, "mallory");
  CHECK_FALSE(nothing.changed);
  CHECK_THAT(nothing.reply.text, Catch::StartsWith("*Status page:* INC-1 is not published."));
  const auto published = with_entry(policy, incident, nullptr, identified("Payments <fail>"), "carol");
  Incident resolved = *published.incident;
  resolved.state = State::monitoring;
  const auto shown = with_entry(policy, resolved, &*published.public_entry, PublishShow{}, "carol");
  CHECK_THAT(shown.reply.text, Catch::Contains("public as \"Checkout fails on mobile\""));
  CHECK_THAT(shown.reply.text, Catch::Contains("Payments &lt;fail&gt;"));
  CHECK_THAT(shown.reply.text, Catch::Contains("`publish resolved <public text>`"));
}

TEST_CASE("unpublish withdraws the entry, with its reason; publishing again brings it back") {
  const auto policy = page_policy();
  const auto published = with_entry(policy, staffed(policy), nullptr, identified(), "carol");
  const auto withdrawn = with_entry(policy, *published.incident, &*published.public_entry, Unpublish{"wrong incident"},
                                    "alice");
  REQUIRE(withdrawn.changed);
  CHECK_FALSE(withdrawn.public_entry->is_public());
  CHECK(withdrawn.public_entry->withdrawn_reason == "wrong incident");
  CHECK_FALSE(withdrawn.incident->public_state.published);
  CHECK(withdrawn.timeline[0].kind == "unpublish");
  CHECK(with_entry(policy, *withdrawn.incident, &*withdrawn.public_entry, Unpublish{"again"}, "alice").reply.text ==
        "INC-1 is not on the status page.");
  const auto again = with_entry(policy, *withdrawn.incident, &*withdrawn.public_entry, identified(), "carol");
  CHECK(again.public_entry->is_public());
  CHECK(again.public_entry->withdrawn_at == 0);
}

TEST_CASE("postmortem done with a public summary puts it on the public entry") {
  const auto policy = page_policy();
  const auto published = with_entry(policy, staffed(policy), nullptr, identified(), "carol");
  Incident closed = *published.incident;
  closed.state = State::closed;
  closed.closed_at = t0 + 2 * hours;
  Postmortem postmortem;
  postmortem.sections = {{PostmortemField::what_happened, "a"}, {PostmortemField::cost, "b"},
                         {PostmortemField::detection_gap, "c"}, {PostmortemField::causal_layer, "conversion"},
                         {PostmortemField::evidence, "d"},      {PostmortemField::system_change, "e"},
                         {PostmortemField::public_summary, "A configuration change broke card payments for 40 minutes."}};
  auto request = at(policy, t0 + 3 * hours, "alice");
  request.postmortem = &postmortem;
  request.public_entry = &*published.public_entry;
  const auto done = workflows::handle(request, &closed, PostmortemDone{});
  REQUIRE(done.public_entry);
  CHECK(done.public_entry->postmortem_summary == "A configuration change broke card payments for 40 minutes.");
  CHECK(done.public_entry->postmortem_at == t0 + 3 * hours);
  CHECK_THAT(done.reply.text, Catch::Contains("public summary is on the status page"));
  // Without a public summary the entry is left alone.
  postmortem.sections.erase(PostmortemField::public_summary);
  CHECK_FALSE(workflows::handle(request, &closed, PostmortemDone{}).public_entry);
}
