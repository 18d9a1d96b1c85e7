#include "bot/core/platform.hpp"
#include "templates/model.hpp"

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

namespace {

// Markdown bold is **x**; a single star left over would be Slack's *x*.
bool has_single_star(const std::string& text) {
  std::string rest = text;
  for (auto at = rest.find("**"); at != std::string::npos; at = rest.find("**")) rest.erase(at, 2);
  return rest.find('*') != std::string::npos;
}

// The text outside `code spans`, where help shows syntax such as <@owner> literally.
std::string outside_code(const std::string& text) {
  std::string outside;
  bool in_code = false;
  for (const char c : text) {
    if (c == '`') in_code = !in_code;
    else if (!in_code) outside += c;
  }
  return outside;
}

}  // namespace

TEST_CASE("every template renders for Mattermost as standard Markdown with **bold** and @mentions and no Slack tokens") {
  const workflows::View views[]{workflows::View::card, workflows::View::update, workflows::View::announcement,
                                workflows::View::reminder, workflows::View::postmortem, workflows::View::roles,
                                workflows::View::timeline, workflows::View::help};
  for (const auto& sample : {templates::detail::full_sample(), templates::detail::empty_sample()}) {
    const std::vector<Incident> open{sample.incident};
    templates::RenderContext context{&sample.incident, &sample.timeline, &open, sample.now};
    context.postmortem = &sample.postmortem;
    context.earlier = &sample.earlier;
    for (const auto view : views) {
      const workflows::Message message{view, view == workflows::View::reminder ? "*Update due* for <@U02BOB>" : ""};
      const auto markdown = bot::render_message(message, context, bot::mattermost_platform(true));
      INFO(markdown.text);
      CHECK_FALSE(markdown.text.empty());
      CHECK(markdown.blocks.empty());
      CHECK_FALSE(has_single_star(markdown.text));
      CHECK(outside_code(markdown.text).find("<@") == std::string::npos);
      CHECK(markdown.text.find("<!") == std::string::npos);
      CHECK(markdown.text.find("&lt;") == std::string::npos);
      if (view == workflows::View::card) CHECK_THAT(markdown.text, Catch::Contains("**INC-"));
      if (view == workflows::View::card && !sample.incident.owner.empty())
        CHECK_THAT(markdown.text, Catch::Contains("@" + sample.incident.owner));
    }
  }
}
