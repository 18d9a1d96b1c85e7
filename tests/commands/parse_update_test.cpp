#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("update with only a symptom leaves every other field empty", "[update]") {
  const auto update = parse_as<Update>("update Card payments fail with 502");
  CHECK(update.symptom == "Card payments fail with 502");
  CHECK_FALSE(update.scope);
  CHECK_FALSE(update.layer);
  CHECK_FALSE(update.confidence);
  CHECK_FALSE(update.mitigation);
  CHECK_FALSE(update.next_check);
  CHECK_FALSE(update.next_check_owner);
  CHECK_FALSE(update.next_update_in);
}

TEST_CASE("update reads every key", "[update]") {
  const auto update = parse_as<Update>(
      "update Card payments fail with 502 | scope: EU web checkout | layer: Conversion | confidence: medium | "
      "mitigation: traffic moved to the backup gateway | next: compare gateway error rates @sam | "
      "next update: 30m");
  CHECK(update.symptom == "Card payments fail with 502");
  CHECK(update.scope == "EU web checkout");
  CHECK(update.layer == "conversion");
  CHECK(update.confidence == Confidence::medium);
  CHECK(update.mitigation == "traffic moved to the backup gateway");
  CHECK(update.next_check == "compare gateway error rates");
  CHECK(update.next_check_owner == "sam");
  CHECK(update.next_update_in == 1800);
}

TEST_CASE("update reads keys in any order and any case", "[update]") {
  const auto update = parse_as<Update>(
      "update Checkout slow | NEXT UPDATE: 1h30m | Confidence: HIGH | Scope: mobile only | Next: check CDN logs");
  CHECK(update.symptom == "Checkout slow");
  CHECK(update.next_update_in == 5400);
  CHECK(update.confidence == Confidence::high);
  CHECK(update.scope == "mobile only");
  CHECK(update.next_check == "check CDN logs");
  CHECK_FALSE(update.next_check_owner);
}

TEST_CASE("update accepts the symptom as a key, in any segment", "[update]") {
  const auto first = parse_as<Update>("update symptom: orders missing | scope: all stores");
  CHECK(first.symptom == "orders missing");
  CHECK(first.scope == "all stores");

  const auto later = parse_as<Update>("update scope: all stores | Symptom: orders missing");
  CHECK(later.symptom == "orders missing");
  CHECK(later.scope == "all stores");
}

TEST_CASE("update keeps a colon in a first segment whose prefix is not a key", "[update]") {
  const auto update = parse_as<Update>("update Checkout: 502 on pay | next: retry at 10:30");
  CHECK(update.symptom == "Checkout: 502 on pay");
  CHECK(update.next_check == "retry at 10:30");
}

TEST_CASE("update accepts next-update and next_update spellings and loose spacing", "[update]") {
  CHECK(parse_as<Update>("update x | next-update: 2h").next_update_in == 7200);
  CHECK(parse_as<Update>("update x | next_update: 2h").next_update_in == 7200);
  CHECK(parse_as<Update>("update x|next   update :45m").next_update_in == 2700);
}

TEST_CASE("update skips empty segments between bars", "[update]") {
  const auto update = parse_as<Update>("update x || scope: y |");
  CHECK(update.symptom == "x");
  CHECK(update.scope == "y");
}

TEST_CASE("update next: reads a trailing owner as @name or a Slack escape", "[update][users]") {
  const auto named = parse_as<Update>("update x | next: check logs @dana");
  CHECK(named.next_check == "check logs");
  CHECK(named.next_check_owner == "dana");

  const auto escaped = parse_as<Update>("update x | next: check logs <@U024BE7LH>");
  CHECK(escaped.next_check == "check logs");
  CHECK(escaped.next_check_owner == "U024BE7LH");

  const auto labelled = parse_as<Update>("update x | next: check logs <@U1|Jane Doe>");
  CHECK(labelled.next_check == "check logs");
  CHECK(labelled.next_check_owner == "U1");
}

TEST_CASE("update does not split on the bar inside a Slack escape", "[update][users]") {
  const auto update = parse_as<Update>(
      "update Orders missing, see <https://status.example.com|status page> | scope: <#C1|eu-stores> only | "
      "next: check feed <@U1|Jane Doe>");
  CHECK(update.symptom == "Orders missing, see <https://status.example.com|status page>");
  CHECK(update.scope == "<#C1|eu-stores> only");
  CHECK(update.next_check == "check feed");
  CHECK(update.next_check_owner == "U1");
}

TEST_CASE("update splits on a bar after a plain less-than sign", "[update]") {
  const auto update = parse_as<Update>("update p95 < 200ms again | scope: api > web");
  CHECK(update.symptom == "p95 < 200ms again");
  CHECK(update.scope == "api > web");
}

TEST_CASE("update next: keeps mentions that are not at the end in the check", "[update][users]") {
  const auto update = parse_as<Update>("update x | next: ask @dana about the deploy");
  CHECK(update.next_check == "ask @dana about the deploy");
  CHECK_FALSE(update.next_check_owner);
  CHECK(parse_as<Update>("update x | next: mail ops@example.com").next_check == "mail ops@example.com");
}

TEST_CASE("update next: refuses a malformed owner or an owner without a check", "[update][users]") {
  CHECK(parse_error("update x | next: check logs @dana!").message ==
        "'@dana!' is not a user; write next: <check> @name");
  CHECK(parse_error("update x | next: check logs @").message == "'@' is not a user; write next: <check> @name");
  CHECK(parse_error("update x | next: @dana").message == "next: needs a check before its owner");
}

TEST_CASE("update without a symptom is an error", "[update]") {
  for (const char* text : {"update", "update   ", "update | scope: eu", "update scope: eu | next: check"}) {
    INFO(text);
    const auto error = parse_error(text);
    CHECK(error.message == "missing symptom");
    CHECK(error.usage.starts_with("update <symptom> | scope:"));
  }
}

TEST_CASE("update refuses an unknown key and names it", "[update]") {
  const auto error = parse_error("update x | eta: 5pm");
  CHECK(error.message == "unknown update key 'eta'; keys are symptom, scope, layer, confidence, mitigation, next, "
                         "next update");
  CHECK(contains(parse_error("update x | Owner: @dana").message, "unknown update key 'Owner'"));
}

TEST_CASE("update refuses a later segment without a key", "[update]") {
  CHECK(parse_error("update x | just more text").message == "'just more text' needs a key such as scope: or next:");
}

TEST_CASE("update refuses a duplicate key", "[update]") {
  CHECK(parse_error("update x | scope: a | scope: b").message == "scope given twice");
  CHECK(parse_error("update x | Next Update: 1h | next update: 2h").message == "next update given twice");
  CHECK(parse_error("update x | symptom: y").message == "symptom given twice");
}

TEST_CASE("update refuses a key without a value", "[update]") {
  CHECK(parse_error("update x | scope:").message == "scope: has no value");
  CHECK(parse_error("update x | next:   ").message == "next: has no value");
  CHECK(parse_error("update symptom:").message == "symptom: has no value");
}

TEST_CASE("update refuses a bad confidence and names the value", "[update]") {
  CHECK(parse_error("update x | confidence: sure").message ==
        "unknown confidence 'sure', expected low, medium or high");
  CHECK(parse_error("update x | confidence: unknown").message ==
        "unknown confidence 'unknown', expected low, medium or high");
}

TEST_CASE("update refuses a bad next update duration and names the value", "[update]") {
  CHECK(parse_error("update x | next update: soon").message ==
        "next update 'soon' is not a duration such as 30m, 2h or 1h30m");
  CHECK(parse_error("update x | next update: 0m").message ==
        "next update '0m' is not a duration such as 30m, 2h or 1h30m");
  CHECK(parse_error("update x | next update: 1h 30m").message ==
        "next update '1h 30m' is not a duration such as 30m, 2h or 1h30m");
}

TEST_CASE("update refuses a layer of several words", "[update]") {
  CHECK(parse_error("update x | layer: platform delivery").message == "a layer is one word, got 'platform delivery'");
}

TEST_CASE("update refuses over-long fields by name", "[update][limits]") {
  const std::string longest(max_field_length, 'v');
  CHECK(parse_as<Update>("update " + longest).symptom == longest);
  CHECK(parse_error("update " + longest + "v").message == "symptom is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("update x | scope: " + longest + "v").message == "scope is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("update x | mitigation: " + longest + "v").message ==
        "mitigation is too long: 2001 bytes, at most 2000");
  CHECK(parse_error("update x | next: " + longest + "v").message == "next is too long: 2001 bytes, at most 2000");
}

TEST_CASE("update errors carry the update usage", "[update]") {
  CHECK(parse_error("update x | eta: 5pm").usage == find_verb("update")->usage);
}

namespace {

Update from_fields(const UpdateFields& fields) {
  auto result = update_from_fields(fields);
  if (const auto* error = std::get_if<UpdateFieldError>(&result)) FAIL("fields refused: " << error->error.one_line());
  return std::get<Update>(std::move(result));
}

UpdateFieldError refused_fields(const UpdateFields& fields) {
  auto result = update_from_fields(fields);
  REQUIRE(std::holds_alternative<UpdateFieldError>(result));
  return std::get<UpdateFieldError>(std::move(result));
}

}  // namespace

TEST_CASE("an update given by fields reads each value as the grammar does", "[update][fields]") {
  UpdateFields fields;
  fields.symptom = "  Card payments\nfail with 502 ";
  fields.scope = "EU web checkout";
  fields.layer = "Conversion";
  fields.confidence = "MEDIUM";
  fields.mitigation = "traffic moved to the backup gateway";
  fields.next_check = "compare gateway error rates @sam";
  fields.next_update = "30m";
  const Update update = from_fields(fields);
  CHECK(update.symptom == "Card payments fail with 502");
  CHECK(update.scope == "EU web checkout");
  CHECK(update.layer == "conversion");
  CHECK(update.confidence == Confidence::medium);
  CHECK(update.mitigation == "traffic moved to the backup gateway");
  CHECK(update.next_check == "compare gateway error rates");
  CHECK(update.next_check_owner == "sam");
  CHECK(update.next_update_in == 1800);
}

TEST_CASE("an update given by fields leaves empty fields out", "[update][fields]") {
  const Update update = from_fields({"orders down", "", " ", "", "", "", "", ""});
  CHECK(update.symptom == "orders down");
  CHECK_FALSE(update.scope);
  CHECK_FALSE(update.layer);
  CHECK_FALSE(update.confidence);
  CHECK_FALSE(update.next_check);
  CHECK_FALSE(update.next_update_in);
}

TEST_CASE("a field's bars and keys stay in that field", "[update][fields]") {
  UpdateFields fields;
  fields.symptom = "scope: EU | checkout fails";
  fields.mitigation = "rolled back | next: watch errors";
  fields.next_check = "error rate | next update: 5m";
  const Update update = from_fields(fields);
  CHECK(update.symptom == "scope: EU | checkout fails");
  CHECK_FALSE(update.scope);
  CHECK(update.mitigation == "rolled back | next: watch errors");
  CHECK(update.next_check == "error rate | next update: 5m");
  CHECK_FALSE(update.next_update_in);
}

TEST_CASE("a chosen owner runs the next check, whose text is kept whole", "[update][fields]") {
  UpdateFields fields;
  fields.symptom = "orders down";
  fields.next_check = "ask @sam about the gateway";
  fields.next_check_owner = "U0DAN";
  const Update update = from_fields(fields);
  CHECK(update.next_check == "ask @sam about the gateway");
  CHECK(update.next_check_owner == "U0DAN");

  fields.next_check.clear();
  const auto without_check = refused_fields(fields);
  CHECK(without_check.field == UpdateField::next_check);
  CHECK(without_check.error.message == "next: needs a check before its owner");

  fields.next_check = "x";
  fields.next_check_owner = "U1|x";
  CHECK(refused_fields(fields).field == UpdateField::next_check_owner);
}

TEST_CASE("an update given by fields is refused on the field at fault", "[update][fields]") {
  const auto refusal = [](UpdateFields fields) { return refused_fields(fields); };
  UpdateFields base;
  base.symptom = "x";

  auto missing = base;
  missing.symptom = "  ";
  CHECK(refusal(missing).field == UpdateField::symptom);
  CHECK(refusal(missing).error.message == "missing symptom");

  auto confidence = base;
  confidence.confidence = "sure";
  CHECK(refusal(confidence).field == UpdateField::confidence);
  CHECK(refusal(confidence).error.message == "unknown confidence 'sure', expected low, medium or high");

  auto duration = base;
  duration.next_update = "soon";
  CHECK(refusal(duration).field == UpdateField::next_update);
  CHECK(refusal(duration).error.usage == find_verb("update")->usage);

  auto layer = base;
  layer.layer = "platform delivery";
  CHECK(refusal(layer).field == UpdateField::layer);

  auto long_scope = base;
  long_scope.scope = std::string(max_field_length + 1, 'v');
  CHECK(refusal(long_scope).field == UpdateField::scope);
  CHECK(refusal(long_scope).error.message == "scope is too long: 2001 bytes, at most 2000");

  auto not_utf8 = base;
  not_utf8.mitigation = "rolled \xC3 back";
  CHECK(refusal(not_utf8).field == UpdateField::mitigation);
  CHECK(refusal(not_utf8).error.message == "mitigation: text is not valid UTF-8");

  auto control = base;
  control.symptom = "bell \x07";
  CHECK(refusal(control).error.message == "symptom: text contains the control character 0x07");
}

TEST_CASE("update refuses a next update past a year or past any integer", "[update][bounds]") {
  for (const std::string word : {"366d", "100000000000000d", "99999999999999999999d", "9223372036854775807s"}) {
    INFO(word);
    const auto error = parse_error("update x | next update: " + word);
    CHECK(error.message == "next update '" + word + "' is longer than 365d, the longest duration accepted");
    CHECK(contains(error.usage, "next update: <duration>"));
  }
  CHECK(parse_as<Update>("update x | next update: 365d").next_update_in == 365 * 86400);
}
