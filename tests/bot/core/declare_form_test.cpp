#include "bot/core/declare_form.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("declare form: blank text or declare alone opens it, in any case and spacing; anything more does not") {
  for (const char* text : {"", "  ", "\t\n", "declare", "DECLARE", "  Declare  "}) CHECK(bot::opens_declare_form(text));
  for (const char* text : {"declare x", "declares", "help", "INC-1 declare", "declar"}) CHECK_FALSE(bot::opens_declare_form(text));
}

TEST_CASE("declare form: four severities, the policy's default first chosen") {
  workflows::Policy policy;
  CHECK(bot::severity_choices() == std::vector<std::string>{"sev1", "sev2", "sev3", "sev4"});
  CHECK(bot::default_severity_choice(policy) == "sev3");
  policy.default_severity = 2;
  CHECK(bot::default_severity_choice(policy) == "sev2");
}

TEST_CASE("declare form: a layer the config does not name is refused on the layer field, with the layers to choose") {
  workflows::Policy policy;
  policy.layers = {"delivery", "conversion"};
  const auto refused = std::get<commands::DeclareFieldError>(bot::declare_from_form({"Checkout", "", "payments", false, ""}, policy));
  CHECK(refused.field == commands::DeclareField::layer);
  CHECK(bot::declare_field_name(refused.field) == "layer");
  CHECK(bot::declare_field_error(refused) == "unknown layer 'payments', expected one of delivery, conversion");
  CHECK_THAT(refused.error.usage, Catch::StartsWith("declare <title>"));
  const auto accepted = std::get<commands::Declare>(bot::declare_from_form({"Checkout", "sev2", "Delivery", true, ""}, policy));
  CHECK(accepted.layer == "delivery");
  CHECK(bot::declare_field_name(commands::DeclareField::symptom) == "symptom");
}
