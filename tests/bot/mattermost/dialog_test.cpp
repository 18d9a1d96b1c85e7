#include "bot/mattermost/dialog.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
namespace json = boost::json;

namespace {

constexpr std::string_view key = "mm-command-token";
const bot::DialogState opened{"channel0000000000000000001", "alice000000000000000000001", 2'000, "n0nce"};

}  // namespace

TEST_CASE("dialog state: signed, it reads back; changed in any part, with another key or expired, it does not") {
  const std::string state = bot::signed_dialog_state(key, opened);
  const auto read = bot::verified_dialog_state(key, state, 1'000);
  REQUIRE(read);
  CHECK(read->channel == opened.channel);
  CHECK(read->user == opened.user);
  CHECK(read->expires == 2'000);
  CHECK(read->nonce == "n0nce");
  CHECK(bot::verified_dialog_state(key, state, 2'000));
  CHECK_FALSE(bot::verified_dialog_state(key, state, 2'001));
  CHECK_FALSE(bot::verified_dialog_state("another-token", state, 1'000));
  CHECK_FALSE(bot::verified_dialog_state("", state, 1'000));
  for (std::size_t at = 0; at < state.size(); ++at) {
    std::string changed = state;
    changed[at] = changed[at] == 'a' ? 'b' : 'a';
    CHECK_FALSE(bot::verified_dialog_state(key, changed, 1'000));
  }
  for (const std::string& garbage : std::vector<std::string>{"", ".", "d1....", "d1.c.u.9.n.", std::string(600, 'x')})
    CHECK_FALSE(bot::verified_dialog_state(key, garbage, 0));
}

TEST_CASE("dialog: title, severity at the default, the configured layers, private, first symptom, within Mattermost's limits") {
  workflows::Policy policy;
  policy.layers = {"delivery", "conversion"};
  policy.default_severity = 1;
  const auto dialog = bot::declare_dialog(policy, "the-state");
  CHECK(dialog.at("callback_id") == "incident_declare");
  CHECK(dialog.at("state") == "the-state");
  CHECK(dialog.at("title").as_string().size() <= 24);
  const auto& elements = dialog.at("elements").as_array();
  REQUIRE(elements.size() == 5);
  std::vector<std::string> names, types;
  for (const auto& element : elements) {
    names.emplace_back(element.at("name").as_string());
    types.emplace_back(element.at("type").as_string());
    CHECK(element.at("display_name").as_string().size() <= 24);
  }
  CHECK(names == std::vector<std::string>{"title", "severity", "layer", "private", "symptom"});
  CHECK(types == std::vector<std::string>{"text", "select", "select", "bool", "textarea"});
  CHECK(elements[0].at("optional") == false);
  CHECK(elements[1].at("default") == "sev1");
  CHECK(elements[2].at("options").as_array().size() == 2);
  CHECK(elements[2].at("optional") == true);
}

TEST_CASE("dialog submission: read from Mattermost's JSON; what is not one gives a reason") {
  std::string problem;
  const auto read = bot::dialog_submission_from(json::parse(R"({"type":"dialog_submission","callback_id":"incident_declare",
    "state":"s","user_id":"u","channel_id":"c","team_id":"t","submission":{"title":"Checkout down","private":true},"cancelled":false})"),
                                                problem);
  REQUIRE(read);
  CHECK(read->callback_id == "incident_declare");
  CHECK(read->state == "s");
  CHECK_FALSE(read->cancelled);
  const auto fields = bot::declare_fields_from(read->submission);
  CHECK(fields.title == "Checkout down");
  CHECK(fields.is_private);
  CHECK(fields.layer.empty());
  CHECK_FALSE(bot::declare_fields_from(json::object{{"private", "false"}}).is_private);
  CHECK(bot::declare_fields_from(json::object{{"private", "true"}}).is_private);

  CHECK_FALSE(bot::dialog_submission_from(json::parse("[1]"), problem));
  CHECK(problem == "a dialog submission is a JSON object");
  CHECK_FALSE(bot::dialog_submission_from(json::parse(R"({"user_id":"u"})"), problem));
  CHECK(problem == "user_id and channel_id are required");
}

TEST_CASE("dialog errors: the element at fault, with the grammar's reason") {
  const auto refused = std::get<commands::DeclareFieldError>(commands::declare_from_fields({"", "", "", false, ""}));
  CHECK(bot::declare_dialog_errors(refused) == json::parse(R"({"errors":{"title":"missing title"}})"));
}
