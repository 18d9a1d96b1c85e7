#include "status_page_fixture.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::templates;
using namespace incident_bot::templates::testing;

namespace {

std::size_t count(const std::string& text, std::string_view part) {
  std::size_t found = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++found;
  return found;
}

}  // namespace

TEST_CASE("the page has its banner, components, active incidents and recent history") {
  const auto page = settings();
  const auto list = entries();
  const std::string html = status_html(PageView{page, list, page_now});
  CHECK_THAT(html, Catch::StartsWith("<!doctype html>"));
  CHECK_THAT(html, Catch::Contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"));
  CHECK_THAT(html, Catch::Contains("<main>"));
  CHECK_THAT(html, Catch::Contains("<h2 id=\"overall\">Partial System Outage</h2>"));
  CHECK_THAT(html, Catch::Contains("<span class=\"name\">Checkout</span> <span class=\"state state-partial_outage\">Partial outage</span>"));
  CHECK_THAT(html, Catch::Contains("<span class=\"name\">Email</span> <span class=\"state state-operational\">Operational</span>"));
  CHECK_THAT(html, Catch::Contains("Cart &amp; payment"));
  CHECK_THAT(html, Catch::Contains("href=\"/status/incidents/k3x9q2m7zt4a\""));
  CHECK_THAT(html, Catch::Contains("Past incidents (last 14 days)"));
  CHECK_THAT(html, Catch::Contains("Email delays"));
  CHECK_THAT(html, Catch::Contains("/status/incidents/p31zjtct2jer#postmortem"));
  CHECK_THAT(html, !Catch::Contains("An old outage"));
  // Updates newest first, with times in UTC that a script may add local times to.
  CHECK(html.find("a fix is coming") < html.find("Some payments fail"));
  CHECK_THAT(html, Catch::Contains("<time datetime=\"2026-11-18T10:56:40+00:00\">2026-11-18 10:56 UTC</time>"));
  CHECK_THAT(html, !Catch::Contains("src="));  // no external assets
}

TEST_CASE("user text is escaped: no script, no closing title gets through") {
  const auto page = settings();
  const auto list = entries();
  for (const std::string& html : {status_html(PageView{page, list, page_now}), incident_html(PageView{page, list, page_now}, list[0])}) {
    CHECK(count(html, "<script>") == 1);  // the page's own
    CHECK(count(html, "</title>") == 1);
    CHECK_THAT(html, !Catch::Contains("alert(1)</script>"));
    CHECK_THAT(html, Catch::Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; a fix is coming"));
  }
  CHECK_THAT(status_html(PageView{page, list, page_now}), Catch::Contains("<title>Shop &lt;status&gt;</title>"));
}

TEST_CASE("an empty page says all is well") {
  const auto page = settings();
  const std::vector<PublicEntry> none;
  const std::string html = status_html(PageView{page, none, page_now});
  CHECK_THAT(html, Catch::Contains("All Systems Operational"));
  CHECK_THAT(html, Catch::Contains("No active incidents."));
  CHECK_THAT(html, Catch::Contains("No incidents resolved in this period."));
}

TEST_CASE("an incident's page shows its updates and its postmortem summary") {
  const auto page = settings();
  const auto list = entries();
  const std::string html = incident_html(PageView{page, list, page_now}, list[1]);
  CHECK_THAT(html, Catch::Contains("<h1>Email delays</h1>"));
  CHECK_THAT(html, Catch::Contains("<h2 id=\"overall\">Resolved</h2>"));
  CHECK_THAT(html, Catch::Contains("id=\"postmortem\""));
  CHECK_THAT(html, Catch::Contains("A full queue &lt;held&gt; mail for an hour."));
  CHECK_THAT(html, Catch::Contains("id=\"update-2\""));
}
