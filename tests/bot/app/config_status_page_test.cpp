// The status_page keys of the config (config_test.cpp holds the others).
#include "bot/app/config.hpp"
#include "bot/app/policy.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using incident_bot::bot::Config;
using incident_bot::bot::ConfigError;

namespace {

Config accepted(const std::string& text) {
  INFO(text);
  const auto result = bot::parse_config(text);
  if (const auto* error = std::get_if<ConfigError>(&result)) FAIL("unexpected error: " << error->describe());
  return std::get<Config>(result);
}

ConfigError rejected(const std::string& text) {
  INFO(text);
  const auto result = bot::parse_config(text);
  REQUIRE(std::holds_alternative<ConfigError>(result));
  return std::get<ConfigError>(result);
}

}  // namespace

TEST_CASE("status_page keys: defaults, and every key read", "[config]") {
  const Config defaults = accepted("{}");
  CHECK(defaults.status_page.enabled);
  CHECK(defaults.status_page.title == "Status");
  CHECK(defaults.status_page.components.empty());
  CHECK(defaults.status_page.history_days == 14);
  CHECK(defaults.status_page.nudge_after == 30 * 60);
  CHECK(defaults.status_page.public_url.empty());

  const Config config = accepted(R"({"status_page": {"enabled": false, "title": "Shop status",
      "components": ["Checkout", {"name": "Web app", "description": "The shop in a browser"}],
      "history_days": 30, "nudge_after": "10m", "public_url": "https://status.example.com"}})");
  CHECK_FALSE(config.status_page.enabled);
  CHECK(config.status_page.title == "Shop status");
  REQUIRE(config.status_page.components.size() == 2);
  CHECK(config.status_page.components[0].name == "Checkout");
  CHECK(config.status_page.components[1].description == "The shop in a browser");
  CHECK(config.status_page.history_days == 30);
  CHECK(config.status_page.nudge_after == 600);
  CHECK(config.status_page.public_url == "https://status.example.com");
}

TEST_CASE("status_page keys: bad values name the key", "[config]") {
  const auto key_of = [](const std::string& text) { return rejected(text).key; };
  CHECK(key_of(R"({"status_page": {"enabled": "yes"}})") == "status_page.enabled");
  CHECK(key_of(R"({"status_page": {"title": ""}})") == "status_page.title");
  CHECK(key_of(R"({"status_page": {"history_days": 0}})") == "status_page.history_days");
  CHECK(key_of(R"({"status_page": {"nudge_after": "soon"}})") == "status_page.nudge_after");
  CHECK(key_of(R"({"status_page": {"public_url": "status.example.com"}})") == "status_page.public_url");
  CHECK(key_of(R"({"status_page": {"colour": "red"}})") == "status_page.colour");
  CHECK(key_of(R"({"status_page": {"components": "Checkout"}})") == "status_page.components");
  const auto twice = rejected(R"({"status_page": {"components": ["Web app", "web-app"]}})");
  CHECK(twice.key == "status_page.components[1]");
  CHECK(twice.message == "component \"web-app\" is listed twice");
  CHECK(rejected(R"({"status_page": {"components": ["a,b"]}})").message ==
        "a component name may not hold a comma or a control character");
  CHECK(rejected(R"({"status_page": {"components": [{"name": "x", "owner": "y"}]}})").key ==
        "status_page.components[0].owner");
  CHECK(rejected(R"({"status_page": {"components": [{"description": "no name"}]}})").key == "status_page.components[0]");
  CHECK(rejected(R"({"status_page": {"components": [7]}})").key == "status_page.components[0]");
}

TEST_CASE("the policy and the page settings carry the status page keys", "[config]") {
  Config config = accepted(R"({"http": {"listen": "127.0.0.1:8080"},
      "status_page": {"components": [{"name": "Checkout", "description": "Cart"}], "nudge_after": "5m",
                      "history_days": 7, "title": "Shop"}})");
  const auto policy = bot::policy_from(config);
  CHECK(policy.status_page);
  REQUIRE(policy.components.size() == 1);
  CHECK(policy.components[0].description == "Cart");
  CHECK(policy.publish_nudge_after == 300);
  CHECK(policy.status_page_url == "http://127.0.0.1:8080");
  const auto settings = bot::page_settings_from(config);
  CHECK(settings.title == "Shop");
  CHECK(settings.history == 7 * 86400);
  CHECK(settings.base_url == "http://127.0.0.1:8080");
  config.status_page.public_url = "https://status.example.com/";
  CHECK(bot::status_page_url(config) == "https://status.example.com");
}
