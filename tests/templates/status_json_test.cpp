#include "status_page_fixture.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::templates;
using namespace incident_bot::templates::testing;
namespace json = boost::json;

namespace {

json::object parsed(const std::string& text) {
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  REQUIRE_FALSE(ec);
  REQUIRE(value.is_object());
  return value.as_object();
}

void check_page(const json::object& document) {
  const auto& page = document.at("page").as_object();
  CHECK(page.at("id").as_string() == "shop-status");
  CHECK(page.at("name").as_string() == "Shop <status>");
  CHECK(page.at("url").as_string() == "https://status.example.com/status");
  CHECK(page.at("updated_at").as_string() == "2026-11-18T10:56:40+00:00");
}

}  // namespace

TEST_CASE("summary.json has the page, its indicator, components and the unresolved incidents") {
  const auto page = settings();
  const auto list = entries();
  const auto summary = parsed(summary_json(PageView{page, list, page_now}));
  check_page(summary);
  CHECK(summary.at("status").at("indicator").as_string() == "major");
  CHECK(summary.at("status").at("description").as_string() == "Partial System Outage");
  const auto& components = summary.at("components").as_array();
  REQUIRE(components.size() == 3);
  CHECK(components[0].at("id").as_string() == "checkout");
  CHECK(components[0].at("status").as_string() == "partial_outage");
  CHECK(components[0].at("description").as_string() == "Cart & payment");
  CHECK(components[1].at("description").is_null());
  CHECK(components[2].at("status").as_string() == "operational");
  CHECK(components[0].at("position").as_int64() == 1);
  const auto& incidents = summary.at("incidents").as_array();
  REQUIRE(incidents.size() == 1);
  CHECK(summary.at("scheduled_maintenances").as_array().empty());
}

TEST_CASE("incidents carry Statuspage's fields, updates newest first") {
  const auto page = settings();
  const auto list = entries();
  const auto document = parsed(incidents_json(PageView{page, list, page_now}));
  const auto& incidents = document.at("incidents").as_array();
  REQUIRE(incidents.size() == 3);
  const auto& active = incidents[0].as_object();
  CHECK(active.at("id").as_string() == "k3x9q2m7zt4a");
  CHECK(active.at("name").as_string() == "Payments </title><script>alert(1)</script>");  // JSON, not HTML
  CHECK(active.at("status").as_string() == "identified");
  CHECK(active.at("impact").as_string() == "major");
  CHECK(active.at("created_at").as_string() == "2026-11-18T10:06:40+00:00");
  CHECK(active.at("updated_at").as_string() == "2026-11-18T10:56:40+00:00");
  CHECK(active.at("monitoring_at").is_null());
  CHECK(active.at("resolved_at").is_null());
  CHECK(active.at("shortlink").as_string() == "https://status.example.com/status/incidents/k3x9q2m7zt4a");
  const auto& updates = active.at("incident_updates").as_array();
  REQUIRE(updates.size() == 2);
  CHECK(updates[0].at("id").as_string() == "k3x9q2m7zt4a-2");
  CHECK(updates[0].at("status").as_string() == "identified");
  CHECK(updates[0].at("body").as_string() == "<script>alert('x')</script> & a fix is coming");
  CHECK(updates[0].at("display_at").as_string() == "2026-11-18T10:56:40+00:00");
  const auto& components = active.at("components").as_array();
  REQUIRE(components.size() == 2);
  CHECK(components[1].at("name").as_string() == "Web app");

  const auto& resolved = incidents[1].as_object();
  CHECK(resolved.at("status").as_string() == "resolved");
  CHECK(resolved.at("resolved_at").is_string());
  CHECK(resolved.at("monitoring_at").is_string());
  CHECK(resolved.at("postmortem_body").as_string() == "A full queue <held> mail for an hour.");
}

TEST_CASE("status, components and unresolved each hold their part") {
  const auto page = settings();
  const auto list = entries();
  const PageView view{page, list, page_now};
  const auto status = parsed(status_json(view));
  check_page(status);
  CHECK(status.at("status").at("indicator").as_string() == "major");
  CHECK(parsed(components_json(view)).at("components").as_array().size() == 3);
  const auto unresolved = parsed(unresolved_json(view)).at("incidents").as_array();
  REQUIRE(unresolved.size() == 1);
  CHECK(unresolved[0].at("id").as_string() == "k3x9q2m7zt4a");
  const std::vector<PublicEntry> none;
  CHECK(parsed(status_json(PageView{page, none, page_now})).at("status").at("indicator").as_string() == "none");
}
