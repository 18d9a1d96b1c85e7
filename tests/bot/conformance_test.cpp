// One incident script, driven through every chat the bot speaks. The platform is a property of the
// adapter, never of the workflows: the store must end in the same state whichever chat was used,
// and each chat must have been told the same facts, each in its own markup. A chat is one row of
// the driver table below; the drivers themselves are in fakes/chat_drivers.hpp.
#include "fakes/chat_drivers.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"

#include <catch2/catch.hpp>

#include <functional>
#include <sstream>

using namespace incident_bot;

namespace {

constexpr Timestamp start = 1'795'000'000;
const std::vector<std::string> people{"alice", "bob", "carol", "dan"};
const std::string incident_channel = "inc-1-checkout-fails-on-mobile";

const fakes::ChatCast cast{people, incident_channel, start};

using fakes::ChatDriver;
using fakes::Said;
using Post = fakes::ChatPost;

struct DriverEntry {
  std::string name;
  std::function<std::unique_ptr<ChatDriver>()> make;
};

template <typename Driver>
DriverEntry entry(std::string name) {
  return {std::move(name), [] { return std::make_unique<Driver>(cast); }};
}

const std::vector<DriverEntry>& drivers() {
  static const std::vector<DriverEntry> table{
      entry<fakes::ConsoleDriver>("console"),
      entry<fakes::SlackHttpDriver>("slack-http"),
      entry<fakes::SlackSocketModeDriver>("slack-socket-mode"),
      entry<fakes::MattermostDriver>("mattermost"),
  };
  return table;
}

struct Step {
  std::string person;
  std::string text;
};

const std::vector<Step> script{
    {"alice", "declare Checkout fails on mobile sev2 layer:conversion"},
    {"alice", "INC-1 role owner @bob"},
    {"alice", "INC-1 role comms @carol"},
    {"alice", "INC-1 role specialist @dan"},
    {"bob", "INC-1 update conversion down 35% on mobile checkout | scope: paid social traffic | confidence: medium | "
            "next: checkout error rate @dan | next update: 30m"},
    {"bob", "INC-1 change paused Meta campaigns"},
    {"bob", "INC-1 change rolled back the theme"},
    {"bob", "INC-1 resolve theme rollback fixed checkout"},
    {"bob", "INC-1 close"},
    {"bob", "INC-1 close --force drill ended early"},
    {"bob", "INC-1 postmortem set summary The theme release broke mobile checkout"},
    {"bob", "INC-1 postmortem"},
};

// Markup aside: bold and italic markers go, so the same fact reads the same in every chat.
std::string facts(const ChatDriver& chat, const std::string& text) {
  std::string plain = chat.plain(text);
  std::erase(plain, '*');
  std::erase(plain, '_');
  return plain;
}

}  // namespace

namespace {

// The store's account of the incident, with the chat's ids replaced by the people they name.
std::string store_state(ChatDriver& chat) {
  std::ostringstream out;
  chat.read([&] {
    const auto incident = store::load_incident(chat.db(), 1);
    REQUIRE(incident);
    const auto who = [&](const std::string& id) { return id.empty() ? std::string("-") : chat.person_of(id); };
    out << incident_id(incident->number) << " | " << incident->title << " | " << to_string(incident->state) << " | sev"
        << incident->severity << " | private " << incident->is_private << " | " << incident->channel << "\n"
        << "detector " << who(incident->detector) << " owner " << who(incident->owner) << " comms " << who(incident->comms)
        << " specialists";
    for (const auto& specialist : incident->specialists) out << " " << who(specialist);
    out << "\nsymptom " << incident->symptom << " | scope " << incident->scope << " | layer " << incident->layer
        << " | confidence " << to_string(incident->confidence) << " | mitigation " << incident->mitigation << "\n"
        << "next " << incident->next_check << " by " << who(incident->next_check_owner) << "\n";
    for (const auto& change : incident->changes)
      out << "change " << change.sequence << " " << change.what << " by " << who(change.actor) << " at " << change.at
          << " verified " << change.verified << "\n";
    out << "in flight " << incident->most_changes_in_flight << " warnings " << incident->parallel_change_warnings
        << " updates " << incident->update_count << "\n"
        << "times " << incident->declared_at << " " << incident->last_update_at << " " << incident->resolved_at << " "
        << incident->closed_at << " " << incident->next_update_due << " due " << incident->reminders.due_at << "\n"
        << "resolution " << incident->resolution << " | close " << incident->close_reason << "\n";
    for (const auto& entry : store::load_timeline(chat.db(), 1))
      out << entry.at << " " << (entry.actor.empty() ? "-" : who(entry.actor)) << " " << entry.kind << " "
          << chat.with_people(templates::convert(entry.text, templates::Markup::plain)) << "\n";
    for (const auto& [field, text] : store::load_postmortem(chat.db(), 1).sections)
      out << "postmortem " << static_cast<int>(field) << " " << text << "\n";
  });
  return out.str();
}

struct Run {
  std::string name;
  std::unique_ptr<ChatDriver> chat;
  std::vector<Said> replies;
  std::vector<Post> posts;
};

Run run_script(const DriverEntry& entry) {
  Run run{entry.name, entry.make(), {}, {}};
  for (const auto& step : script) {
    run.replies.push_back(run.chat->command(step.person, step.text));
    run.chat->settle();
  }
  run.posts = run.chat->received();
  return run;
}

bool is_card(const ChatDriver& chat, const Post& post) { return facts(chat, post.text).starts_with("INC-1 · "); }

// The posts of one channel, the card left out, as facts.
std::vector<std::string> posts_in(const Run& run, const std::string& channel) {
  std::vector<std::string> texts;
  for (const auto& post : run.posts)
    if (post.channel == channel && !is_card(*run.chat, post)) texts.push_back(facts(*run.chat, post.text));
  return texts;
}

std::string card_of(const Run& run) {
  for (const auto& post : run.posts)
    if (post.channel == incident_channel && is_card(*run.chat, post)) return facts(*run.chat, post.text);
  return {};
}

}  // namespace

TEST_CASE("conformance: the same incident script ends in the same store and the same messages in every chat") {
  std::vector<Run> runs;
  for (const auto& entry : drivers()) runs.push_back(run_script(entry));
  const Run& reference = runs.front();
  const std::string reference_state = store_state(*reference.chat);
  CHECK_THAT(reference_state, Catch::Contains("INC-1 | Checkout fails on mobile | closed | sev2"));
  CHECK_THAT(reference_state, Catch::Contains("detector alice owner bob comms carol specialists dan"));

  for (const Run& run : runs) {
    INFO("chat: " << run.name);
    CHECK(store_state(*run.chat) == reference_state);
    REQUIRE(run.replies.size() == script.size());
    for (std::size_t step = 0; step < script.size(); ++step) {
      INFO("step " << step << ": " << script[step].text);
      CHECK(run.replies[step].in_channel == reference.replies[step].in_channel);
      CHECK(facts(*run.chat, run.replies[step].text) == facts(*reference.chat, reference.replies[step].text));
    }
    CHECK(posts_in(run, incident_channel) == posts_in(reference, incident_channel));
    CHECK(posts_in(run, "incidents") == posts_in(reference, "incidents"));
    CHECK_FALSE(card_of(run).empty());
  }
  CHECK(posts_in(reference, "incidents").size() >= 3);  // announcement, update, resolution
}

TEST_CASE("conformance: chats with an editable card and incident channels agree on the card and the members") {
  std::vector<Run> runs;
  for (const auto& entry : drivers()) {
    auto run = run_script(entry);
    if (run.chat->traits().editable_card) runs.push_back(std::move(run));
  }
  REQUIRE(runs.size() >= 2);
  for (const Run& run : runs) {
    INFO("chat: " << run.name);
    CHECK(card_of(run) == card_of(runs.front()));
    CHECK_THAT(card_of(run), Catch::Contains("closed") && Catch::Contains("Owner: @bob"));
    CHECK(run.chat->members() == runs.front().chat->members());
    for (const auto& person : people) CHECK_THAT(Catch::Detail::stringify(run.chat->members()), Catch::Contains(person));
  }
}

TEST_CASE("conformance: each chat hears the facts in its own markup") {
  for (const auto& entry : drivers()) {
    const Run run = run_script(entry);
    INFO("chat: " << run.name);
    std::string all;
    for (const auto& said : run.replies) all += said.text + "\n";
    for (const auto& post : run.posts) all += post.text + "\n";
    const auto markup = run.chat->traits().markup;
    const std::string bob = run.chat->id_of("bob");
    if (markup == templates::Markup::mrkdwn) {
      CHECK_THAT(all, Catch::Contains("<@" + bob + ">") && Catch::Contains("*INC-1 · Checkout fails on mobile*"));
      CHECK(all.find("**") == std::string::npos);
    } else if (markup == templates::Markup::markdown) {
      CHECK_THAT(all, Catch::Contains("@bob") && Catch::Contains("**INC-1 · Checkout fails on mobile**"));
      CHECK(all.find(bob) == std::string::npos);
      CHECK(all.find("<@") == std::string::npos);
    } else {
      CHECK_THAT(all, Catch::Contains("@bob") && Catch::Contains("INC-1 · Checkout fails on mobile"));
      CHECK(all.find("*INC-1") == std::string::npos);
    }
  }
}
