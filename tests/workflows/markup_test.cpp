#include "workflows/markup.hpp"
#include "workflows/incident.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("escape turns only & < > into entities") {
  CHECK(markup::escape("<!channel> & <@U1> \"quotes\" *bold*") == "&lt;!channel&gt; &amp; &lt;@U1&gt; \"quotes\" *bold*");
}

TEST_CASE("mentions the bot makes stay mentions") {
  CHECK(markup::mention("U123") == "<@U123>");
  CHECK(markup::mention("") == "nobody");
}

TEST_CASE("UTC times from the epoch, leap years included") {
  CHECK(markup::utc_time(0) == "1970-01-01 00:00 UTC");
  CHECK(markup::utc_time(951782400) == "2000-02-29 00:00 UTC");
  CHECK(markup::utc_time(1795000000) == "2026-11-18 11:06 UTC");
  CHECK(markup::utc_time(-60) == "1969-12-31 23:59 UTC");
}

TEST_CASE("incident ids") { CHECK(incident_id(42) == "INC-42"); }

TEST_CASE("shown times are Slack date tokens whose fallback is UTC with its offset") {
  CHECK(markup::shown_time(1795000000) ==
        "<!date^1795000000^{date_short_pretty} at {time}|2026-11-18 11:06 UTC+00:00>");
}
