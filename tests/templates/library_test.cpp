#include "templates/model.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
using templates::Document;

namespace {

constexpr Timestamp now = 1'795'000'000;

templates::Library library_with(const std::map<std::string, std::string>& files) {
  auto loaded = templates::Library::with_overrides(files);
  if (auto* error = std::get_if<templates::TemplateError>(&loaded)) FAIL(error->describe());
  return std::get<templates::Library>(std::move(loaded));
}

std::string error_for(const std::string& file, const std::string& text) {
  const auto loaded = templates::Library::with_overrides({{file, text}});
  const auto* error = std::get_if<templates::TemplateError>(&loaded);
  REQUIRE(error);
  CHECK(error->file == file);
  return error->message;
}

Incident incident_titled(std::string title) {
  Incident incident;
  incident.number = 5;
  incident.title = std::move(title);
  incident.channel = "inc-5";
  incident.owner = "U123";
  incident.declared_at = now;
  return incident;
}

std::vector<std::string> block_texts(const std::string& blocks) {
  std::vector<std::string> texts;
  const auto parsed = boost::json::parse(blocks);
  for (const auto& block : parsed.as_array()) {
    const auto& object = block.as_object();
    if (const auto* text = object.if_contains("text")) texts.emplace_back(text->at("text").as_string());
    if (const auto* fields = object.if_contains("fields"))
      for (const auto& field : fields->as_array()) texts.emplace_back(field.at("text").as_string());
    if (const auto* elements = object.if_contains("elements"))
      for (const auto& element : elements->as_array()) texts.emplace_back(element.at("text").as_string());
  }
  return texts;
}

}  // namespace

TEST_CASE("a user template replaces the default with the same name, and only that one") {
  const auto library = library_with({{"announcement.text.mustache", "New incident {{id}}: {{title}}"}});
  CHECK(library.overridden() == std::vector<std::string>{"announcement.text.mustache"});
  const Incident incident = incident_titled("Checkout down");
  templates::RenderContext context{&incident, nullptr, nullptr, now};
  context.library = &library;
  CHECK(templates::render_text(Document::announcement, {}, context) == "New incident INC-5: Checkout down");
  CHECK_THAT(templates::render_blocks(Document::announcement, {}, context), Catch::Contains(":rotating_light:"));
  CHECK_THAT(templates::render_text(Document::card, {}, context), Catch::StartsWith("*INC-5 · Checkout down*"));
}

TEST_CASE("a broken user template is an error naming the file and what is wrong") {
  CHECK_THAT(error_for("card.text.mustache", "{{#private}}\nprivate\n"), Catch::Contains("Unclosed section \"private\""));
  CHECK_THAT(error_for("card.text.mustache", "line one\n{{title"), Catch::Contains("line 2"));
  CHECK_THAT(error_for("update.text.mustache", "{{id}}\n{{ownr}}"),
             Catch::Contains("unknown value {{ownr}} on line 2"));
  CHECK_THAT(error_for("card.blocks.mustache", R"([{"type": "section", "text": {"type": "mrkdwn", "text": "{{{title}}}"}}])"),
             Catch::Contains("must be JSON-escaped"));
  CHECK_THAT(error_for("card.blocks.mustache", R"([{"type": "section", "text": "{{title}}",}])"),
             Catch::Contains("not valid JSON"));
  CHECK_THAT(error_for("card.blocks.mustache", "{{title}}"), Catch::Contains("not valid JSON"));
  CHECK_THAT(error_for("card.blocks.mustache", R"({"type": "divider"})"), Catch::Contains("not a JSON array"));
  CHECK_THAT(error_for("card.txt.mustache", "{{title}}"), Catch::Contains("not a template name"));
  CHECK_THAT(error_for("card.text.mustache", "{{> header}}"), Catch::Contains("partials"));
}

TEST_CASE("values are mrkdwn-escaped in text and blocks; the bot's own mentions still work") {
  const Incident incident = incident_titled("<!channel> free pizza & \"cake\"");
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  const std::string text = templates::render_text(Document::card, {}, context);
  CHECK_THAT(text, Catch::Contains("&lt;!channel&gt; free pizza &amp; \"cake\""));
  CHECK_THAT(text, Catch::Contains("*Owner:* <@U123>"));
  CHECK(text.find("<!channel>") == std::string::npos);
  CHECK(templates::convert(text, templates::Markup::plain).find("<!channel> free pizza & \"cake\"") != std::string::npos);

  const auto texts = block_texts(templates::render_blocks(Document::card, {}, context));
  CHECK_THAT(texts.at(0), Catch::Contains("&lt;!channel&gt; free pizza &amp; \"cake\""));
  CHECK(std::find(texts.begin(), texts.end(), "*Owner*\n<@U123>") != texts.end());
  for (const auto& block_text : texts) CHECK(block_text.find("<!channel>") == std::string::npos);
}

TEST_CASE("unicode, quotes, backslashes and line breaks survive into Block Kit JSON") {
  Incident incident = incident_titled("Café checkout ☕ 支付失败 🚨 \\ \"quoted\"");
  incident.scope = "line one\nline two\ttabbed";
  const templates::RenderContext context{&incident, nullptr, nullptr, now};
  const auto texts = block_texts(templates::render_blocks(Document::update, {}, context));
  CHECK_THAT(texts.at(0), Catch::Contains("Café checkout ☕ 支付失败 🚨 \\ \"quoted\""));
  CHECK(std::find(texts.begin(), texts.end(), "*Scope and impact*\nline one\nline two\ttabbed") != texts.end());
}

TEST_CASE("very long fields stay within every Block Kit limit") {
  Incident incident = incident_titled(std::string(5000, 't'));
  incident.scope = std::string(2500, 's');
  std::vector<TimelineEntry> timeline;
  for (int i = 0; i < 600; ++i) timeline.push_back({now + i, "U1", "update", std::string(200, 'u')});
  const Postmortem postmortem;
  templates::RenderContext context{&incident, &timeline, nullptr, now};
  context.postmortem = &postmortem;
  for (const auto document : templates::documents) {
    const auto blocks = boost::json::parse(templates::render_blocks(document, {}, context)).as_array();
    CHECK(blocks.size() <= templates::max_blocks);
    for (const auto& block : blocks) {
      const auto& object = block.as_object();
      if (object.at("type") == "section" && object.contains("text"))
        CHECK(object.at("text").at("text").as_string().size() <= templates::max_section_text);
      if (const auto* fields = object.if_contains("fields")) {
        CHECK(fields->as_array().size() <= templates::max_fields);
        for (const auto& field : fields->as_array()) CHECK(field.at("text").as_string().size() <= templates::max_field_text);
      }
    }
  }
  const auto update = templates::render_blocks(Document::update, {}, context);
  CHECK_THAT(update, Catch::Contains("(truncated)"));  // the 2500-byte scope field
  const auto postmortem_blocks = boost::json::parse(templates::render_blocks(Document::postmortem, {}, context)).as_array();
  CHECK(postmortem_blocks.size() == templates::max_blocks);
  CHECK_THAT(std::string(postmortem_blocks.back().at("text").at("text").as_string()), Catch::Contains("more blocks not shown"));
}

TEST_CASE("odd but valid JSON in a blocks override is handled, never thrown") {
  const auto library = library_with(
      {{"announcement.blocks.mustache", R"([{"type": "section", "text": {"type": 5, "text": "{{title}}"}}, {"type": "divider"}])"}});
  const Incident incident = incident_titled("x");
  templates::RenderContext context{&incident, nullptr, nullptr, now};
  context.library = &library;
  CHECK_THAT(templates::render_blocks(Document::announcement, {}, context), Catch::Contains("divider"));
}
