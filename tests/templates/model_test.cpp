#include "templates/model.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using templates::Document;

namespace {

constexpr Timestamp now = 1'795'000'000;

std::string render(const std::string& source, const templates::detail::Data& data) {
  kainjow::mustache::mustache tmpl{source};
  tmpl.set_custom_escape([](const std::string& value) { return value; });
  return tmpl.render(data);
}

}  // namespace

TEST_CASE("json_escape escapes quotes, backslashes and control characters, nothing else") {
  CHECK(templates::detail::json_escape("a\"b\\c\nd\te\x01") == "a\\\"b\\\\c\\nd\\te\\u0001");
  CHECK(templates::detail::json_escape("café <@U1> &amp;") == "café <@U1> &amp;");
}

TEST_CASE("unknown values read \"not yet known\"; written ones are escaped, mentions are the bot's") {
  Incident incident;
  incident.number = 3;
  incident.title = "a <b> & c";
  incident.owner = "U9";
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  const auto data = templates::detail::model(Document::update, {}, context, nullptr);
  CHECK(render("{{title}}|{{owner}}|{{symptom}}|{{confidence}}|{{comms}}", data) ==
        "a &lt;b&gt; &amp; c|<@U9>|_not yet known_|_not yet known_|_not yet known_");
  CHECK(render("{{#lead}}x{{/lead}}{{^lead}}no lead{{/lead}}", data) == "no lead");
}

TEST_CASE("the postmortem asks for each empty section and shows the written ones") {
  Incident incident;
  incident.number = 3;
  Postmortem postmortem;
  postmortem.sections[PostmortemField::cost] = "€2k & a day";
  templates::RenderContext context{&incident, nullptr, nullptr, now};
  context.postmortem = &postmortem;
  const auto data = templates::detail::model(Document::postmortem, {}, context, nullptr);
  CHECK(render("{{cost}}", data) == "€2k &amp; a day");
  CHECK_THAT(render("{{detection_gap}}", data), Catch::Contains("`postmortem set detection-gap …`"));
  CHECK_THAT(render("{{missing}}", data), Catch::Contains("what happened, detection gap"));
  CHECK(render("{{#done}}done{{/done}}{{^done}}draft{{/done}}", data) == "draft");
}

TEST_CASE("the names a document offers are collected, so a template can be checked against them") {
  const auto sample = templates::detail::full_sample();
  const templates::RenderContext context{&sample.incident, &sample.timeline, nullptr, sample.now, &sample.postmortem,
                                         &sample.earlier};
  std::set<std::string> names;
  templates::detail::model(Document::postmortem, "lead", context, &names);
  for (const char* name : {"lead", "id", "title", "system_change", "timeline", "actions", "family", "line", "due",
                           "late_updates", "most_changes_in_flight"})
    CHECK(names.contains(name));
  names.clear();
  templates::detail::model(Document::card, {}, context, &names);
  CHECK_FALSE(names.contains("system_change"));
}

TEST_CASE("the postmortem counts late updates and names the repeat family") {
  const auto sample = templates::detail::full_sample();
  const templates::RenderContext context{&sample.incident, &sample.timeline, nullptr, sample.now, &sample.postmortem,
                                         &sample.earlier};
  const auto data = templates::detail::model(Document::postmortem, {}, context, nullptr);
  CHECK(render("{{late_updates}} late, {{most_changes_in_flight}} in flight", data) == "1 late, 2 in flight");
  CHECK(render("{{#family}}{{family_id}}: {{family_fix}}{{/family}}", data) == "INC-3: Tag Manager preview before publishing");
}
