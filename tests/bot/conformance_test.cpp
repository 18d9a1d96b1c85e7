// One incident script, driven through every chat the bot speaks. The platform is a property of the
// adapter, never of the workflows: the store must end in the same state whichever chat was used,
// and each chat must have been told the same facts, each in its own markup. A chat is one row of
// the driver table below (Slack Socket Mode joins it with its adapter).
#include "bot/console.hpp"
#include "bot/policy.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <functional>
#include <regex>
#include <sstream>
#include <thread>

using namespace incident_bot;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr Timestamp start = 1'795'000'000;
const std::vector<std::string> people{"alice", "bob", "carol", "dan"};
const std::string incident_channel = "inc-1-checkout-fails-on-mobile";

struct Said {
  bool in_channel = false;
  std::string text;  // in the chat's markup
};

struct Post {
  std::string channel;  // a channel name: the incident's, or "incidents" for announcements
  std::string text;     // in the chat's markup
};

// A chat as the suite drives it.
class ChatDriver {
 public:
  virtual ~ChatDriver() = default;
  virtual bot::PlatformTraits traits() const = 0;
  virtual std::string id_of(const std::string& person) const = 0;
  // `text` as `person` types it in a general channel; "@name" is written the chat's way.
  virtual Said command(const std::string& person, const std::string& text) = 0;
  virtual void settle() = 0;                   // until the chat's outbox is delivered
  virtual std::vector<Post> received() = 0;    // what the chat shows, besides replies; cards as last edited
  virtual std::vector<std::string> members() { return {}; }  // who was added to the incident channel, by person
  std::string person_of(const std::string& id) const {
    for (const auto& person : people)
      if (id == id_of(person)) return person;
    return "?" + id;
  }
  virtual SQLite::Database& db() = 0;          // read on the bot's own thread through read()
  virtual void read(const std::function<void()>& work) { work(); }
  // The chat's markup as plain text: ids as @person, channel ids as #name. Markdown and plain text
  // are read as they are: only mrkdwn has tokens and escapes to undo.
  virtual std::string plain(const std::string& text) const {
    return with_people(traits().markup == templates::Markup::mrkdwn ? templates::convert(text, templates::Markup::plain) : text);
  }
  std::string with_people(std::string text) const {
    for (const auto& person : people) text = std::regex_replace(text, std::regex("@" + id_of(person) + "\\b"), "@" + person);
    return text;
  }
};

class ConsoleDriver final : public ChatDriver {
 public:
  bot::PlatformTraits traits() const override { return bot::console_platform(); }
  std::string id_of(const std::string& person) const override { return person; }
  SQLite::Database& db() override { return db_; }
  Said command(const std::string& person, const std::string& text) override {
    std::ostringstream ignored, out;
    console_.handle_line("/as " + person, ignored);
    console_.handle_line("/incident " + text, out);
    // The console prints the reply, then "── #channel ──" and each post indented.
    std::istringstream lines(out.str());
    Said said{true, {}};
    std::string line;
    bool in_post = false;
    while (std::getline(lines, line)) {
      if (line.starts_with("── #")) {
        posts_.push_back({line.substr(std::string("── #").size(), line.size() - std::string("── #").size() - std::string(" ──").size()), {}});
        in_post = true;
      } else if (in_post) {
        posts_.back().text += (posts_.back().text.empty() ? "" : "\n") + line.substr(std::min<std::size_t>(2, line.size()));
      } else if (line == "(only you can see this)") {
        said.in_channel = false;
      } else {
        said.text += (said.text.empty() ? "" : "\n") + line;
      }
    }
    return said;
  }
  void settle() override {}
  std::vector<Post> received() override { return posts_; }

 private:
  SQLite::Database db_ = store::open(":memory:");
  bot::Dispatcher dispatcher_{db_, bot::policy_from(bot::Config{}), bot::console_platform(),
                              std::make_shared<spdlog::logger>("c", std::make_shared<spdlog::sinks::null_sink_st>())};
  bot::Console console_{db_, dispatcher_, bot::ConsoleOptions{}, [] { return start; }};
  std::vector<Post> posts_;
};

// The bot's Runtime on its thread, with a chat stand-in; the outbox is drained before reading.
class RuntimeDriver : public ChatDriver {
 public:
  SQLite::Database& db() override { return bot_->runtime().db(); }
  void read(const std::function<void()>& work) override { bot_->on_bot_thread(work); }
  void settle() override {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    for (bool waiting = true; waiting && std::chrono::steady_clock::now() < deadline;) {
      read([&] { waiting = store::next_post_due(db(), traits().name).has_value(); });
      if (waiting) std::this_thread::sleep_for(20ms);
    }
  }

 protected:
  std::unique_ptr<fakes::RunningBot> bot_;
};

class SlackHttpDriver final : public RuntimeDriver {
 public:
  SlackHttpDriver() {
    bot::Config config;
    config.slack.api_url = api_.url();
    bot_ = std::make_unique<fakes::RunningBot>(config, bot::Secrets{"signing", "xoxb-token"}, start);
  }
  bot::PlatformTraits traits() const override { return bot::slack_platform(true); }
  std::string id_of(const std::string& person) const override {
    std::string id = "U0" + person;
    for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return id;
  }
  Said command(const std::string& person, const std::string& text) override {
    std::string escaped = text;  // with "escape users" on, Slack sends <@U…|name>
    for (const auto& name : people) escaped = std::regex_replace(escaped, std::regex("@" + name + "\\b"), "<@" + id_of(name) + "|" + name + ">");
    const auto answer = fakes::SlackSender(bot_->port(), "signing").command(escaped, bot_->now(), "C0GENERAL", id_of(person));
    REQUIRE(answer.status == 200);
    const auto reply = json::parse(answer.body).as_object();
    return {reply.at("response_type") == "in_channel", std::string(reply.at("text").as_string())};
  }
  std::vector<Post> received() override {
    std::vector<Post> posts;
    std::map<std::string, std::size_t> card_of_channel;
    for (const auto& call : api_.calls()) {
      if (call.method == "chat.postMessage") {
        const auto& blocks = call.body.as_object().at("blocks").as_array();
        const bool card = !blocks.empty() && blocks.back().as_object().at("type") == "actions";
        if (card) card_of_channel[call.arg("channel")] = posts.size();
        posts.push_back({channel_name(call.arg("channel")), call.arg("text")});
      } else if (call.method == "chat.update") {
        posts.at(card_of_channel.at(call.arg("channel"))).text = call.arg("text");
      }
    }
    return posts;
  }
  std::vector<std::string> members() override {
    std::vector<std::string> invited;
    for (const auto& call : api_.calls("conversations.invite")) invited.push_back(person_of(call.arg("users")));
    return invited;
  }
  std::string plain(const std::string& text) const override {
    return std::regex_replace(ChatDriver::plain(text), std::regex("#C1\\b"), "#" + incident_channel);
  }

 private:
  std::string channel_name(const std::string& id) const { return id == "C1" ? incident_channel : id; }
  fakes::SlackApiServer api_;
};

class MattermostDriver final : public RuntimeDriver {
 public:
  MattermostDriver() {
    server_.add_channel("incidents", fakes::mattermost_id("announce"));
    for (const auto& person : people) server_.add_user(id_of(person), person);
    bot::Config config;
    config.mattermost.url = server_.url();
    config.mattermost.team_id = fakes::mattermost_id("team");
    config.mattermost.announce_channel = "incidents";
    bot::Secrets secrets;
    secrets.mattermost_command_token = "command-token";
    secrets.mattermost_bot_token = "bot-token";
    bot_ = std::make_unique<fakes::RunningBot>(config, secrets, start);
  }
  bot::PlatformTraits traits() const override { return bot::mattermost_platform(true); }
  std::string id_of(const std::string& person) const override { return fakes::mattermost_id(person); }
  Said command(const std::string& person, const std::string& text) override {
    std::map<std::string, std::string> mentions;
    for (const auto& name : people)
      if (std::regex_search(text, std::regex("@" + name + "\\b"))) mentions[name] = id_of(name);
    const auto answer = fakes::MattermostSender(bot_->port(), "command-token")
                            .command(text, fakes::mattermost_id("townsquare"), id_of(person), person, mentions);
    REQUIRE(answer.status == 200);
    const auto reply = json::parse(answer.body).as_object();
    return {reply.at("response_type") == "in_channel", std::string(reply.at("text").as_string())};
  }
  std::vector<Post> received() override {
    std::vector<Post> posts;
    for (const auto& post : server_.posts())
      posts.push_back({post.channel_id == fakes::mattermost_id("announce") ? "incidents"
                       : post.channel_id == server_.channel_id(incident_channel) ? incident_channel : post.channel_id,
                       post.message});
    return posts;
  }
  std::vector<std::string> members() override {
    std::vector<std::string> added;
    for (const auto& id : server_.members(server_.channel_id(incident_channel))) added.push_back(person_of(id));
    return added;
  }

 private:
  fakes::MattermostServer server_{{.token = "bot-token"}};
};

struct DriverEntry {
  std::string name;
  std::function<std::unique_ptr<ChatDriver>()> make;
};

const std::vector<DriverEntry>& drivers() {
  static const std::vector<DriverEntry> table{
      {"console", [] { return std::make_unique<ConsoleDriver>(); }},
      {"slack-http", [] { return std::make_unique<SlackHttpDriver>(); }},
      {"mattermost", [] { return std::make_unique<MattermostDriver>(); }},
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
