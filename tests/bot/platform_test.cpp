#include "bot/platform.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("each chat's traits") {
  CHECK(bot::platform_named("slack").block_kit);
  CHECK(bot::platform_named("slack").markup == templates::Markup::mrkdwn);
  CHECK(bot::platform_named("mattermost").markup == templates::Markup::markdown);
  CHECK_FALSE(bot::platform_named("mattermost").block_kit);
  CHECK(bot::platform_named("console").name == "console");
  CHECK_FALSE(bot::platform_named("console").direct_messages);
  CHECK(bot::platform_named("irc").name == "console");
}

TEST_CASE("a message renders as the chat's markup, with blocks only where the chat has them") {
  Incident incident;
  incident.number = 3;
  incident.title = "Pixel <!here> & co";
  incident.channel = "inc-3-pixel";
  const templates::RenderContext context{&incident, nullptr, nullptr, 1'795'000'000};
  const auto slack = bot::render_message({workflows::View::card, {}}, context, bot::slack_platform(true));
  CHECK_THAT(slack.text, Catch::Contains("*INC-3 · Pixel &lt;!here&gt; &amp; co*"));
  CHECK_THAT(slack.blocks, Catch::StartsWith("["));
  const auto console = bot::render_message({workflows::View::card, {}}, context, bot::console_platform());
  CHECK_THAT(console.text, Catch::Contains("INC-3 · Pixel <!here> & co"));
  CHECK(console.blocks.empty());
}

TEST_CASE("outbox payloads: plain text stays text; text with blocks round-trips through JSON") {
  CHECK(bot::outbox_payload({"just text", ""}) == "just text");
  CHECK(bot::read_outbox_payload("just text").text == "just text");
  const std::string payload = bot::outbox_payload({"*bold* <@U1>", R"([{"type":"divider"}])"});
  const auto back = bot::read_outbox_payload(payload);
  CHECK(back.text == "*bold* <@U1>");
  CHECK(back.blocks == R"([{"type":"divider"}])");
  CHECK(bot::read_outbox_payload("{not json").text == "{not json");
}
