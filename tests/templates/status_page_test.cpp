#include "status_page_fixture.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::templates;
using namespace incident_bot::templates::testing;

TEST_CASE("components take the worst impact of the active incidents that touch them") {
  const auto page = settings();
  const auto list = entries();
  const PageView view{page, list, page_now};
  CHECK(impact_on(view, "Checkout") == Impact::major);
  CHECK(impact_on(view, "Web app") == Impact::major);
  CHECK(impact_on(view, "Email") == Impact::none);  // its incident is resolved
  CHECK(impact_on(view, "") == Impact::major);
  CHECK(component_status(Impact::major) == "partial_outage");
  CHECK(indicator_description(Impact::none) == "All Systems Operational");
  CHECK(page_updated_at(view) == page_now - 600);
}

TEST_CASE("history keeps the active and the recently resolved") {
  const auto page = settings();
  const auto list = entries();
  const PageView view{page, list, page_now};
  CHECK(in_history(view, list[0]));
  CHECK(in_history(view, list[1]));
  CHECK_FALSE(in_history(view, list[2]));
  CHECK(entry_with_id(view, "p31zjtct2jer") == &list[1]);
  CHECK(entry_with_id(view, "nope") == nullptr);
}

TEST_CASE("times are ISO 8601 with their offset; ids are slugs") {
  CHECK(iso_time(page_now) == "2026-11-18T11:06:40+00:00");
  CHECK(iso_time(0) == "1970-01-01T00:00:00+00:00");
  CHECK(component_id("Web app & API") == "web-app-api");
  CHECK(component_id("!!!") == "component");
}

TEST_CASE("escaping covers HTML and XML and leaves out what XML 1.0 forbids") {
  CHECK(html_escape("<a href=\"x\">Tom's & co</a>") == "&lt;a href=&quot;x&quot;&gt;Tom&#39;s &amp; co&lt;/a&gt;");
  CHECK(html_escape(std::string("a\x01" "b\x7f" "c\td\n", 8)) == "abc\td\n");
  CHECK(html_escape("café ✓") == "café ✓");
}
