#include "bot/slack/modal.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
namespace json = boost::json;

namespace {

// A submitted view of the update modal for INC-7 opened from C0GENERAL, with these text values.
json::object submitted_view(std::initializer_list<std::pair<std::string_view, std::string_view>> texts,
                            std::string_view owner = {}) {
  json::object values;
  for (const auto& [block, text] : texts)
    values[block] = json::object{{"value", json::object{{"type", "plain_text_input"}, {"value", text}}}};
  if (!owner.empty()) values["next_owner"] = json::object{{"value", json::object{{"type", "users_select"}, {"selected_user", owner}}}};
  return {{"callback_id", bot::update_modal_callback},
          {"private_metadata", "7|C0GENERAL"},
          {"state", json::object{{"values", std::move(values)}}}};
}

commands::Update update_of(const bot::ModalSubmission& submission) {
  REQUIRE(std::holds_alternative<commands::Update>(submission.update));
  return std::get<commands::Update>(submission.update);
}

}  // namespace

TEST_CASE("modal: the view carries the incident and the channel, and starts from the latest evidence") {
  Incident incident;
  incident.number = 7;
  incident.symptom = "orders down";
  incident.layer = "conversion";
  incident.confidence = Confidence::low;
  const auto view = bot::update_modal(incident, {"delivery", "conversion"}, "C0GENERAL");
  CHECK(view.at("callback_id").as_string() == bot::update_modal_callback);
  CHECK(view.at("private_metadata") == "7|C0GENERAL");
  CHECK(view.at("title").at("text") == "INC-7 update");
  const auto& blocks = view.at("blocks").as_array();
  REQUIRE(blocks.size() == 8);
  CHECK(blocks[0].at("block_id") == "symptom");
  CHECK(blocks[0].at("element").at("initial_value") == "orders down");
  CHECK(blocks[2].at("element").at("initial_option").at("value") == "conversion");
  CHECK(blocks[3].at("element").at("initial_option").at("value") == "low");
}

TEST_CASE("modal: a submission is the incident, the channel and a typed update") {
  const auto view = submitted_view({{"symptom", "orders down"}, {"scope", "EU"}, {"next", "gateway errors"},
                                    {"next_update", "30m"}},
                                   "U0DAN");
  json::object with_choices = view;
  auto& values = with_choices["state"].as_object()["values"].as_object();
  values["confidence"] = json::object{{"value", json::object{{"selected_option", json::object{{"value", "high"}}}}}};
  values["layer"] = json::object{{"value", json::object{{"selected_option", json::object{{"value", "delivery"}}}}}};
  const auto submission = bot::update_from_submission(with_choices);
  REQUIRE(submission);
  CHECK(submission->incident == 7);
  CHECK(submission->channel == "C0GENERAL");
  const auto update = update_of(*submission);
  CHECK(update.symptom == "orders down");
  CHECK(update.scope == "EU");
  CHECK(update.layer == "delivery");
  CHECK(update.confidence == Confidence::high);
  CHECK(update.next_check == "gateway errors");
  CHECK(update.next_check_owner == "U0DAN");
  CHECK(update.next_update_in == 1800);
  CHECK_FALSE(update.mitigation);
}

TEST_CASE("modal: a bar or a key written inside a field stays in that field") {
  const auto submission = bot::update_from_submission(submitted_view(
      {{"symptom", "scope: all stores | checkout fails"}, {"mitigation", "rolled back | next update: 5m"}}));
  REQUIRE(submission);
  const auto update = update_of(*submission);
  CHECK(update.symptom == "scope: all stores | checkout fails");
  CHECK_FALSE(update.scope);
  CHECK(update.mitigation == "rolled back | next update: 5m");
  CHECK_FALSE(update.next_update_in);
}

TEST_CASE("modal: a field the grammar refuses is named by its block") {
  const auto submission = bot::update_from_submission(submitted_view({{"symptom", "orders down"}, {"next_update", "soon"}}));
  REQUIRE(submission);
  REQUIRE(std::holds_alternative<commands::UpdateFieldError>(submission->update));
  const auto errors = bot::update_modal_errors(std::get<commands::UpdateFieldError>(submission->update));
  REQUIRE(errors.size() == 1);
  CHECK(errors.at("next_update") == "next update 'soon' is not a duration such as 30m, 2h or 1h30m");

  const auto empty = bot::update_from_submission(submitted_view({{"symptom", " "}}));
  REQUIRE(empty);
  CHECK(bot::update_modal_errors(std::get<commands::UpdateFieldError>(empty->update)).contains("symptom"));
}

TEST_CASE("modal: a view that is not ours, or without its incident, is no submission") {
  json::object other = submitted_view({{"symptom", "x"}});
  other["callback_id"] = "something_else";
  CHECK_FALSE(bot::update_from_submission(other));
  for (const char* metadata : {"", "7", "x|C1", "0|C1", "-3|C1"}) {
    json::object broken = submitted_view({{"symptom", "x"}});
    broken["private_metadata"] = metadata;
    CHECK_FALSE(bot::update_from_submission(broken));
  }
  json::object no_state = submitted_view({{"symptom", "x"}});
  no_state.erase("state");
  CHECK_FALSE(bot::update_from_submission(no_state));
}

namespace {

// A submitted declare modal opened from C0GENERAL: these values, by block, as Slack reports each element.
json::object declare_view(std::string_view title, std::string_view severity, std::string_view layer, bool is_private,
                          std::string_view symptom) {
  json::object values;
  values["title"] = json::object{{"value", json::object{{"type", "plain_text_input"}, {"value", title}}}};
  if (!severity.empty())
    values["severity"] = json::object{{"value", json::object{{"type", "static_select"}, {"selected_option", json::object{{"value", severity}}}}}};
  values["layer"] = json::object{{"value", json::object{{"type", "static_select"}, {"selected_option", nullptr}}}};
  if (!layer.empty()) values["layer"].as_object()["value"].as_object()["selected_option"] = json::object{{"value", layer}};
  json::array picked;
  if (is_private) picked.push_back(json::object{{"value", "private"}});
  values["private"] = json::object{{"value", json::object{{"type", "checkboxes"}, {"selected_options", std::move(picked)}}}};
  values["symptom"] = json::object{{"value", json::object{{"type", "plain_text_input"}, {"value", symptom}}}};
  return {{"callback_id", "incident_declare"}, {"private_metadata", "C0GENERAL"}, {"state", json::object{{"values", std::move(values)}}}};
}

}  // namespace

TEST_CASE("declare modal: title, severity preselected at the default, configured layers, private, first symptom") {
  workflows::Policy policy;
  policy.layers = {"delivery", "conversion"};
  policy.default_severity = 2;
  const auto view = bot::declare_modal(policy, "C0GENERAL");
  CHECK(view.at("callback_id") == "incident_declare");
  CHECK(view.at("private_metadata") == "C0GENERAL");
  const auto& blocks = view.at("blocks").as_array();
  REQUIRE(blocks.size() == 5);
  std::vector<std::string> ids;
  for (const auto& block : blocks) ids.emplace_back(block.at("block_id").as_string());
  CHECK(ids == std::vector<std::string>{"title", "severity", "layer", "private", "symptom"});
  CHECK(blocks[0].at("optional") == false);
  CHECK(blocks[1].at("element").at("initial_option").at("value") == "sev2");
  CHECK(blocks[1].at("element").at("options").as_array().size() == 4);
  const auto& layers = blocks[2].at("element").at("options").as_array();
  REQUIRE(layers.size() == 2);
  CHECK(layers[1].at("value") == "conversion");
  CHECK(blocks[3].at("element").at("type") == "checkboxes");
  CHECK(blocks[4].at("element").at("multiline") == true);
}

TEST_CASE("declare modal: a submission is read into a declaration, fields whole") {
  const workflows::Policy policy;
  const auto submission = bot::declare_from_submission(declare_view("Checkout down sev1", "sev2", "delivery", true, "502s"), policy);
  REQUIRE(submission);
  CHECK(submission->channel == "C0GENERAL");
  const auto& declare = std::get<commands::Declare>(submission->declare);
  CHECK(declare.title == "Checkout down sev1");
  CHECK(declare.severity == 2);
  CHECK(declare.layer == "delivery");
  CHECK(declare.is_private);
  CHECK(declare.symptom == "502s");
  const auto plain = bot::declare_from_submission(declare_view("Pixel broken", "", "", false, ""), policy);
  CHECK_FALSE(std::get<commands::Declare>(plain->declare).is_private);
  CHECK_FALSE(std::get<commands::Declare>(plain->declare).layer);
}

TEST_CASE("declare modal: the field at fault gets the grammar's reason; a layer not configured is refused on the layer") {
  const workflows::Policy policy;
  const auto untitled = bot::declare_from_submission(declare_view("  ", "sev2", "", false, ""), policy);
  const auto& error = std::get<commands::DeclareFieldError>(untitled->declare);
  CHECK(bot::declare_modal_errors(error) == json::object{{"title", "missing title"}});
  const auto stale = bot::declare_from_submission(declare_view("Checkout", "", "payments", false, ""), policy);
  const auto errors = bot::declare_modal_errors(std::get<commands::DeclareFieldError>(stale->declare));
  CHECK_THAT(std::string(errors.at("layer").as_string()), Catch::StartsWith("unknown layer 'payments', expected one of economics"));
  CHECK(errors.at("layer").as_string().size() <= 150);
  CHECK_FALSE(bot::declare_from_submission(json::object{{"callback_id", "incident_update"}}, policy));
  CHECK_FALSE(bot::declare_from_submission(submitted_view({{"symptom", "x"}}), policy));
}
