#include "templates/render.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using templates::Markup;

TEST_CASE("mrkdwn passes through unchanged for Slack") {
  CHECK(templates::convert("*INC-1* <@U1> &lt;x&gt;", Markup::mrkdwn) == "*INC-1* <@U1> &lt;x&gt;");
}

TEST_CASE("plain text: mentions readable, escapes undone, bold markers dropped") {
  CHECK(templates::convert("*Owner:* <@bob> · <@U123|carol>", Markup::plain) == "Owner: @bob · @carol");
  CHECK(templates::convert("&lt;!channel&gt; free pizza &amp; more", Markup::plain) == "<!channel> free pizza & more");
  CHECK(templates::convert("<#C1|incidents> <!here>", Markup::plain) == "#incidents @here");
  CHECK(templates::convert("<!date^1795000000^{date_short}|2026-11-18 11:06 UTC>", Markup::plain) ==
        "2026-11-18 11:06 UTC");
  CHECK(templates::convert("<https://example.com|the runbook>", Markup::plain) == "the runbook (https://example.com)");
  CHECK(templates::convert("_not yet known_", Markup::plain) == "not yet known");
}

TEST_CASE("escaped user text never turns into a token after conversion") {
  CHECK(templates::convert("&lt;@U1&gt;", Markup::plain) == "<@U1>");
  CHECK(templates::convert("&lt;@U1&gt;", Markup::markdown) == "<@U1>");
}

TEST_CASE("Markdown: **bold**, [links](url)") {
  CHECK(templates::convert("*State:* triage", Markup::markdown) == "**State:** triage");
  CHECK(templates::convert("<https://x.test|docs>", Markup::markdown) == "[docs](https://x.test)");
}

TEST_CASE("stars that are not bold stay as written") {
  CHECK(templates::convert("2 * 3 = 6", Markup::plain) == "2 * 3 = 6");
  CHECK(templates::convert("a*b", Markup::plain) == "a*b");
  CHECK(templates::convert("*unclosed", Markup::plain) == "*unclosed");
  CHECK(templates::convert("*one*\n*two*", Markup::markdown) == "**one**\n**two**");
}

TEST_CASE("plain text drops _italic_ markers but keeps underscores inside words") {
  CHECK(templates::convert("_Why was it not detected sooner? — `postmortem set detection-gap …`_", Markup::plain) ==
        "Why was it not detected sooner? — `postmortem set detection-gap …`");
  CHECK(templates::convert("snake_case_name and _x_", Markup::plain) == "snake_case_name and x");
  CHECK(templates::convert("(_not yet known_)", Markup::plain) == "(not yet known)");
  CHECK(templates::convert("_not yet known_", Markup::markdown) == "_not yet known_");
  CHECK(templates::convert("a _ b _ c", Markup::plain) == "a _ b _ c");
}
