#include "templates/render.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
namespace json = boost::json;

namespace {

json::array parse(const std::string& text) { return json::parse(text).as_array(); }

std::string section_text(const json::value& block) {
  return std::string(block.at("text").at("text").as_string());
}

std::string repeated_lines(std::size_t count, const std::string& line) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) text += (i ? "\n" : "") + line;
  return text;
}

}  // namespace

TEST_CASE("short text is one mrkdwn section") {
  const auto blocks = parse(templates::text_blocks("*INC-1* <@U1>"));
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].at("type") == "section");
  CHECK(blocks[0].at("text").at("type") == "mrkdwn");
  CHECK(section_text(blocks[0]) == "*INC-1* <@U1>");
}

TEST_CASE("section text over 3000 bytes is split at line breaks, nothing lost") {
  const std::string text = repeated_lines(100, std::string(70, 'x'));  // 7099 bytes
  const auto blocks = parse(templates::text_blocks(text));
  REQUIRE(blocks.size() == 3);
  std::string joined;
  for (const auto& block : blocks) {
    CHECK(section_text(block).size() <= templates::max_section_text);
    joined += (joined.empty() ? "" : "\n") + section_text(block);
  }
  CHECK(joined == text);
}

TEST_CASE("one line over 3000 bytes is cut between characters, never inside one, an entity or a mention") {
  std::string text = std::string(2999, 'a') + "é" + std::string(10, 'b');  // é straddles byte 3000
  auto blocks = parse(templates::text_blocks(text));
  REQUIRE(blocks.size() == 2);
  CHECK(section_text(blocks[0]) == std::string(2999, 'a'));
  CHECK(section_text(blocks[1]) == "é" + std::string(10, 'b'));

  text = std::string(2997, 'a') + "&amp;" + "tail";
  blocks = parse(templates::text_blocks(text));
  CHECK(section_text(blocks[0]) == std::string(2997, 'a'));
  CHECK(section_text(blocks[1]) == "&amp;tail");

  text = std::string(2995, 'a') + "<@U0123456>" + "tail";
  blocks = parse(templates::text_blocks(text));
  CHECK(section_text(blocks[0]) == std::string(2995, 'a'));
  CHECK(section_text(blocks[1]) == "<@U0123456>tail");
}

TEST_CASE("more than 50 blocks: 49 kept and a visible note says how many were left out") {
  const std::string text = repeated_lines(60, std::string(2999, 'x'));
  const auto blocks = parse(templates::text_blocks(text));
  REQUIRE(blocks.size() == templates::max_blocks);
  CHECK_THAT(section_text(blocks.back()), Catch::Contains("11 more blocks not shown"));
}

TEST_CASE("fields over 2000 bytes are truncated with a marker; more than 10 move to another section") {
  json::array fields;
  for (int i = 0; i < 12; ++i) fields.push_back(json::object{{"type", "mrkdwn"}, {"text", "field " + std::to_string(i)}});
  fields[0].as_object()["text"] = std::string(2500, 'y');
  const json::array input{json::object{{"type", "section"}, {"fields", fields}}};
  const auto checked = templates::checked_blocks(json::serialize(input));
  REQUIRE(checked.error.empty());
  const auto blocks = parse(checked.json);
  REQUIRE(blocks.size() == 2);
  CHECK(blocks[0].at("fields").as_array().size() == 10);
  CHECK(blocks[1].at("fields").as_array().size() == 2);
  const std::string first(blocks[0].at("fields").at(0).at("text").as_string());
  CHECK(first.size() <= templates::max_field_text);
  CHECK_THAT(first, Catch::EndsWith("(truncated)"));
}

TEST_CASE("header text is cut to 150 bytes and context elements to 10") {
  json::array elements;
  for (int i = 0; i < 12; ++i) elements.push_back(json::object{{"type", "mrkdwn"}, {"text", "e"}});
  const json::array input{
      json::object{{"type", "header"}, {"text", json::object{{"type", "plain_text"}, {"text", std::string(400, 'h')}}}},
      json::object{{"type", "context"}, {"elements", elements}}};
  const auto blocks = parse(templates::checked_blocks(json::serialize(input)).json);
  CHECK(blocks[0].at("text").at("text").as_string().size() <= templates::max_header_text);
  CHECK(blocks[1].at("elements").as_array().size() == 10);
}

TEST_CASE("an empty section text is dropped rather than refused by Slack") {
  const auto blocks = parse(templates::checked_blocks(R"([{"type":"section","text":{"type":"mrkdwn","text":""}},
      {"type":"divider"}])").json);
  REQUIRE(blocks.size() == 1);
  CHECK(blocks[0].at("type") == "divider");
}

TEST_CASE("rendered blocks that are not a JSON array of typed objects are an error") {
  CHECK_THAT(templates::checked_blocks(R"([{"type":"section",}])").error, Catch::Contains("not valid JSON"));
  CHECK_THAT(templates::checked_blocks(R"({"type":"section"})").error, Catch::Contains("not a JSON array"));
  CHECK_THAT(templates::checked_blocks(R"([{"text":"x"}])").error, Catch::Contains("block 1"));
  CHECK(templates::checked_blocks("[]").error.empty());
}
