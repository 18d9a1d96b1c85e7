#include "bot/slack/inbound.hpp"
#include "store/store.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <optional>
#include <vector>

using namespace incident_bot;
namespace json = boost::json;
using Kind = bot::InboundAnswer::Kind;

namespace {

constexpr Timestamp t0 = 1'795'000'000;

struct Inbound {
  store::Connection db = store::open(":memory:");
  std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Dispatcher dispatcher{db, workflows::Policy{}, bot::slack_platform(true), logger};
  std::vector<std::string> views_opened;  // trigger ids
  std::vector<json::object> views;        // the views, in the same order
  int posts_waiting = 0;
  bot::GroupCommit commits{db, logger};  // no loop: each command commits before its answer
  bot::SlackInbound inbound{dispatcher, db, commits,
                            bot::SlackInboundOptions{[] { return t0; },
                                                     [this](std::string trigger, json::object view) {
                                                       views_opened.push_back(std::move(trigger));
                                                       views.push_back(std::move(view));
                                                     },
                                                     [this] { ++posts_waiting; }},
                            logger};

  bot::InboundAnswer command(const std::string& text, const std::string& trigger = "") {
    return slash({"C0GENERAL", "U0ALICE", text, trigger});
  }
  bot::InboundAnswer slash(const bot::SlashCommand& fields) {
    return answered([&](bot::AnswerInbound answer) { inbound.command(fields, std::move(answer)); });
  }
  bot::InboundAnswer interaction(const json::object& payload) {
    return answered([&](bot::AnswerInbound answer) { inbound.interaction(payload, std::move(answer)); });
  }
  bot::InboundAnswer event(const json::object& callback) {
    return answered([&](bot::AnswerInbound answer) { inbound.event(callback, std::move(answer)); });
  }
  // The answer, which a loop-less group commit gives before the call returns.
  template <typename Call>
  bot::InboundAnswer answered(Call call) {
    std::optional<bot::InboundAnswer> answer;
    call([&](bot::InboundAnswer given) { answer = std::move(given); });
    REQUIRE(answer);
    return std::move(*answer);
  }
  std::vector<Incident> open() { return store::open_incidents(db); }
};

json::object object(std::string_view text) { return json::parse(text).as_object(); }

}  // namespace

TEST_CASE("inbound: a slash command's reply is Slack's JSON with text and blocks; posts are woken") {
  Inbound in;
  const auto answer = in.command("declare Checkout &amp; pixel sev2", "1.1");
  REQUIRE(answer.kind == Kind::body);
  CHECK(answer.body.at("response_type") == "in_channel");
  CHECK_THAT(std::string(answer.body.at("text").as_string()), Catch::StartsWith("INC-1 declared: Checkout &amp; pixel"));
  CHECK(answer.body.at("blocks").is_array());
  CHECK(in.open().at(0).title == "Checkout & pixel");
  CHECK(in.posts_waiting == 1);
}

TEST_CASE("inbound: the same trigger_id twice is answered the first answer and handled once") {
  Inbound in;
  const auto first = in.command("declare Checkout down", "7.7");
  const auto again = in.command("declare Checkout down", "7.7");
  CHECK(again.body == first.body);
  CHECK(in.open().size() == 1);
}

TEST_CASE("inbound: a command without a channel or a user is refused") {
  Inbound in;
  CHECK(in.slash({"", "U1", "help", "1"}).kind == Kind::malformed);
  CHECK(in.slash({"C1", "", "help", "1"}).kind == Kind::malformed);
}

TEST_CASE("inbound: a bare update opens the modal, or says why not") {
  Inbound in;
  const auto nobody = in.command("update", "2.1");
  REQUIRE(nobody.kind == Kind::body);
  CHECK(nobody.body.at("response_type") == "ephemeral");
  in.command("declare Checkout down", "2.2");
  CHECK(in.command("INC-1 update", "2.3").kind == Kind::empty);
  CHECK(in.views_opened == std::vector<std::string>{"2.3"});
}

TEST_CASE("inbound: the comms button assigns the role; an action without an incident is refused") {
  Inbound in;
  in.command("declare Checkout down", "3.1");
  const auto pressed = in.interaction(object(
      R"({"type":"block_actions","trigger_id":"3.2","user":{"id":"U0CAROL"},"channel":{"id":"C0INC"},"actions":[{"action_id":"take_comms","value":"1"}]})"));
  CHECK(pressed.kind == Kind::empty);
  CHECK(in.open().at(0).comms == "U0CAROL");
  CHECK(in.interaction(object(R"({"type":"block_actions","user":{"id":"U1"},"actions":[]})")).kind == Kind::malformed);
  CHECK(in.interaction(object(R"({"type":"shortcut"})")).kind == Kind::empty);
}

TEST_CASE("inbound: a modal submission with a bad field answers the form's errors") {
  Inbound in;
  in.command("declare Checkout down", "4.1");
  const auto answer = in.interaction(object(R"({"type":"view_submission","trigger_id":"4.2","user":{"id":"U0BOB"},
    "view":{"callback_id":"incident_update","private_metadata":"1|C0INC","state":{"values":{
    "symptom":{"value":{"type":"plain_text_input","value":"orders down"}},
    "next_update":{"value":{"type":"plain_text_input","value":"soon"}}}}}})"));
  REQUIRE(answer.kind == Kind::body);
  CHECK(answer.body.at("response_action") == "errors");
  CHECK(answer.body.at("errors").as_object().contains("next_update"));
  CHECK(in.open().at(0).update_count == 0);
}

TEST_CASE("inbound: a modal submission is dispatched as a typed update, its fields kept whole") {
  Inbound in;
  in.command("declare Checkout down", "5.1");
  const auto answer = in.interaction(object(R"({"type":"view_submission","trigger_id":"5.2","user":{"id":"U0BOB"},
    "view":{"callback_id":"incident_update","private_metadata":"1|C0INC","state":{"values":{
    "symptom":{"value":{"type":"plain_text_input","value":"scope: EU | orders down"}},
    "mitigation":{"value":{"type":"plain_text_input","value":"rollback | next: watch"}}}}}})"));
  CHECK(answer.kind == Kind::empty);
  const Incident incident = in.open().at(0);
  CHECK(incident.symptom == "scope: EU | orders down");
  CHECK(incident.scope.empty());
  CHECK(incident.mitigation == "rollback | next: watch");
  CHECK(incident.update_count == 1);
}

TEST_CASE("inbound: an app_mention is the command after the mention; the same event_id is handled once") {
  Inbound in;
  const auto callback = object(
      R"({"type":"event_callback","event_id":"Ev9","event":{"type":"app_mention","user":"U0ALICE","channel":"C0GENERAL","text":"<@U0BOT> declare Pixel &lt;broken&gt;"}})");
  CHECK(in.event(callback).kind == Kind::empty);
  CHECK(in.event(callback).kind == Kind::empty);
  REQUIRE(in.open().size() == 1);
  CHECK(in.open()[0].title == "Pixel <broken>");
  CHECK(in.event(object(R"({"type":"event_callback","event_id":"Ev10","event":{"type":"message"}})")).kind ==
        Kind::empty);
  CHECK(in.open().size() == 1);
}

TEST_CASE("slack_unescape undoes Slack's three escapes and nothing else") {
  CHECK(bot::slack_unescape("a &amp; b &lt;!channel&gt; <@U1|x> &quot;") == "a & b <!channel> <@U1|x> &quot;");
}

TEST_CASE("json_string_at follows a path of keys and is empty for anything else") {
  const auto body = object(R"({"a":{"b":"x","n":1},"s":"top"})");
  CHECK(bot::json_string_at(body, {"a", "b"}) == "x");
  CHECK(bot::json_string_at(body, {"s"}) == "top");
  CHECK(bot::json_string_at(body, {"a", "n"}).empty());
  CHECK(bot::json_string_at(body, {"s", "b"}).empty());
  CHECK(bot::json_string_at(body, {"missing"}).empty());
}

TEST_CASE("inbound: the bare-update shortcut reads any spacing and case, and a huge run of spaces is harmless") {
  Inbound in;
  in.command("declare Checkout down", "8.1");
  CHECK(in.command("  inc-1 \t UPDATE  ", "8.2").kind == Kind::empty);
  CHECK(in.views_opened == std::vector<std::string>{"8.2"});
  // Not the shortcut: these go to the grammar, which answers with the verb's usage.
  for (const std::string text : {"INC-1update", "INC- update", "INC-1 update now", "updates", "INC-1234567890123 update"})
    CHECK(in.command(text, "8.x" + text).kind == Kind::body);
  CHECK(in.views_opened.size() == 1);
  // Once a stack overflow that killed the bot: now a modal like any other bare update.
  CHECK(in.command("INC-1 update" + std::string(200'000, ' '), "8.3").kind == Kind::empty);
  CHECK(in.views_opened.size() == 2);
}

TEST_CASE("inbound: an outsider's update form, card buttons and mentions find no private incident") {
  Inbound in;
  in.command("declare Credential leak sev1 private", "9.1");
  const auto form = in.slash({"C0GENERAL", "U0MALLORY", "INC-1 update", "9.2"});
  REQUIRE(form.kind == Kind::body);
  CHECK(form.body.at("text") == "INC-1 does not exist.");
  const auto bare = in.slash({"C0GENERAL", "U0MALLORY", "update", "9.3"});
  CHECK(bare.body.at("text") == "There is no open incident. Declare one with `declare &lt;title&gt;`.");
  for (const char* action : {"post_update", "take_comms"})
    in.interaction(object(std::string(R"({"type":"block_actions","trigger_id":"9.4","user":{"id":"U0MALLORY"},)") +
                          R"("channel":{"id":"C0GENERAL"},"actions":[{"action_id":")" + action + R"(","value":"1"}]})"));
  in.event(object(R"({"type":"event_callback","event_id":"Ev11","event":{"type":"app_mention","user":"U0MALLORY",)"
                  R"("channel":"C0GENERAL","text":"<@U0BOT> INC-1 role specialist <@U0MALLORY>"}})"));
  CHECK(in.views_opened.empty());
  const Incident incident = in.open().at(0);
  CHECK(incident.comms.empty());
  CHECK(incident.specialists.empty());
  CHECK(in.slash({"C0GENERAL", "U0ALICE", "INC-1 update", "9.5"}).kind == Kind::empty);  // the declarer gets the form
  CHECK(in.views_opened == std::vector<std::string>{"9.5"});
}

TEST_CASE("inbound: /incident alone or declare alone opens the declare form; without a trigger, help or the usage") {
  Inbound in;
  for (const std::string text : {"", "   ", "declare", " DECLARE "}) CHECK(in.command(text, "10." + text).kind == Kind::empty);
  REQUIRE(in.views.size() == 4);
  CHECK(in.views[0].at("callback_id") == "incident_declare");
  CHECK(in.views[0].at("private_metadata") == "C0GENERAL");
  const auto help = in.command("", "");
  CHECK_THAT(std::string(help.body.at("text").as_string()), Catch::Contains("Incident commands"));
  const auto usage = in.command("declare", "");
  CHECK_THAT(std::string(usage.body.at("text").as_string()), Catch::Contains("missing title"));
  CHECK(in.views.size() == 4);
  CHECK(in.open().empty());
}

namespace {

json::object declare_submission(std::string_view trigger, std::string_view title, std::string_view layer) {
  return object(std::string(R"({"type":"view_submission","trigger_id":")") + std::string(trigger) +
                R"(","user":{"id":"U0BOB"},"view":{"callback_id":"incident_declare","private_metadata":"C0GENERAL",)" +
                R"("state":{"values":{"title":{"value":{"type":"plain_text_input","value":")" + std::string(title) + R"("}},)" +
                R"("severity":{"value":{"type":"static_select","selected_option":{"value":"sev2"}}},)" +
                R"("layer":{"value":{"type":"static_select","selected_option":{"value":")" + std::string(layer) + R"("}}},)" +
                R"("private":{"value":{"type":"checkboxes","selected_options":[]}},)" +
                R"("symptom":{"value":{"type":"plain_text_input","value":"card payments 502"}}}}}})");
}

}  // namespace

TEST_CASE("inbound: a declare form submission declares as the command does, once however often it is delivered") {
  Inbound in;
  CHECK(in.interaction(declare_submission("11.1", "Checkout down", "delivery")).kind == Kind::empty);
  CHECK(in.interaction(declare_submission("11.1", "Checkout down", "delivery")).kind == Kind::empty);
  REQUIRE(in.open().size() == 1);
  const Incident incident = in.open()[0];
  CHECK(incident.title == "Checkout down");
  CHECK(incident.severity == 2);
  CHECK(incident.layer == "delivery");
  CHECK(incident.symptom == "card payments 502");
  CHECK(incident.owner == "U0BOB");
  CHECK(incident.declared_in == "C0GENERAL");
  // The reply a typed declare shows in the channel comes as a post: a form has no reply slot.
  const auto waiting = store::pending_posts(in.db, "slack", t0 + 60, 50);
  CHECK(std::any_of(waiting.begin(), waiting.end(), [](const store::OutboxRow& row) {
    return row.kind == workflows::PostKind::reply && row.payload.find("INC-1 declared: Checkout down") != std::string::npos;
  }));
}

TEST_CASE("inbound: a declare form with a field at fault stays open with the reason under it; nothing is declared") {
  Inbound in;
  const auto untitled = in.interaction(declare_submission("12.1", " ", "delivery"));
  REQUIRE(untitled.kind == Kind::body);
  CHECK(untitled.body.at("response_action") == "errors");
  CHECK(untitled.body.at("errors") == json::object{{"title", "missing title"}});
  const auto stale = in.interaction(declare_submission("12.2", "Checkout down", "payments"));
  CHECK(stale.body.at("errors").as_object().contains("layer"));
  CHECK(in.open().empty());
  // The same trigger after the fix declares: a refused form consumed no delivery id.
  CHECK(in.interaction(declare_submission("12.1", "Checkout down", "delivery")).kind == Kind::empty);
  CHECK(in.open().size() == 1);
}
