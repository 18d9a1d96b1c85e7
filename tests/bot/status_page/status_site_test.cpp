#include "bot/status_page/status_site.hpp"

#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

using namespace incident_bot;
namespace json = boost::json;

namespace {

constexpr const char* secret = "8f742231b10e8888abcd99yyyzzz85a5";

bot::Config page_config() {
  bot::Config config;
  config.status_page.title = "Shop status";
  config.status_page.components = {{"Checkout", "Cart and payment"}, {"Email", ""}};
  config.status_page.public_url = "https://status.example.com/";
  return config;
}

// A bot with a signed Slack endpoint and the status page on the same port.
struct PageBot {
  fakes::RunningBot bot{page_config(), bot::Secrets{secret}};
  fakes::SlackSender slack{bot.port(), secret};

  std::string command(const std::string& text, const std::string& user = "U0ALICE") {
    const auto answer = slack.command(text, bot.now(), "C0GENERAL", user);
    REQUIRE(answer.status == 200);
    return std::string(json::parse(answer.body).at("text").as_string());
  }
  fakes::HttpAnswer get(const std::string& target, const std::map<std::string, std::string>& headers = {}) {
    return fakes::http_call(bot.port(), "GET", target, "", headers);
  }
  // The page as a reader sees it within a second of a publish.
  std::string page_within_a_second(const std::string& target, const std::string& expected) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    std::string body;
    do {
      body = get(target).body;
      if (body.find(expected) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (std::chrono::steady_clock::now() < deadline);
    return body;
  }
};

json::object summary(PageBot& page) {
  const auto answer = page.get("/api/v2/summary.json");
  REQUIRE(answer.status == 200);
  return json::parse(answer.body).as_object();
}

}  // namespace

TEST_CASE("status page: nothing is public until the comms lead or owner publishes, then it shows at once") {
  PageBot page;
  page.command("declare Checkout <b>fails</b></title> sev2");
  page.command("INC-1 update Card payments fail | scope: EU web checkout | confidence: medium");
  const auto before = page.get("/status");
  REQUIRE(before.status == 200);
  CHECK_THAT(before.headers.at("content-type"), Catch::StartsWith("text/html; charset=utf-8"));
  CHECK_THAT(before.body, Catch::Contains("All Systems Operational"));
  CHECK_THAT(before.body, !Catch::Contains("Checkout &lt;b&gt;fails"));

  CHECK_THAT(page.command("INC-1 publish identified Some card payments fail <script>x</script> components:checkout",
                          "U0MALLORY"),
             Catch::Contains("INC-1 does not exist") || Catch::Contains("Only "));
  const auto published = page.command("INC-1 publish identified Some card payments fail <script>x</script> "
                                      "impact:major components:checkout");
  CHECK_THAT(published, Catch::Contains("published to the status page"));
  CHECK_THAT(published, Catch::Contains("https://status.example.com/status/incidents/"));
  const std::string html = page.page_within_a_second("/status", "Some card payments fail");
  CHECK_THAT(html, Catch::Contains("Some card payments fail &lt;script&gt;x&lt;/script&gt;"));
  CHECK_THAT(html, Catch::Contains("Checkout &lt;b&gt;fails&lt;/b&gt;&lt;/title&gt;"));
  CHECK(html.find("</title>") == html.rfind("</title>"));  // only the page's own
  CHECK_THAT(html, Catch::Contains("Partial System Outage"));
  CHECK_THAT(html, Catch::Contains("state-partial_outage\">Partial outage"));
  // Only published text: no internal update, no person, no INC number.
  for (const std::string target : {"/status", "/api/v2/summary.json", "/api/v2/incidents.json", "/history.atom"}) {
    const std::string body = page.get(target).body;
    CHECK_THAT(body, !Catch::Contains("INC-1"));
    CHECK_THAT(body, !Catch::Contains("U0ALICE"));
    CHECK_THAT(body, !Catch::Contains("EU web checkout"));
  }

  const auto document = summary(page);
  CHECK(document.at("status").at("indicator").as_string() == "major");
  const auto& incident = document.at("incidents").as_array().at(0).as_object();
  const std::string shortlink(incident.at("shortlink").as_string());
  CHECK_THAT(shortlink, Catch::StartsWith("https://status.example.com/status/incidents/"));
  const std::string id(incident.at("id").as_string());
  CHECK(id.size() == 12);
  const auto own_page = page.get("/status/incidents/" + id);
  CHECK(own_page.status == 200);
  CHECK_THAT(own_page.body, Catch::Contains("<h1>Checkout &lt;b&gt;fails&lt;/b&gt;&lt;/title&gt;</h1>"));
  CHECK(page.get("/status/incidents/nosuchincid").status == 404);
  CHECK(page.get("/status/incidents/1").status == 404);
}

TEST_CASE("status page: ETag and Last-Modified answer 304; documents are cacheable and typed") {
  PageBot page;
  const auto first = page.get("/status");
  REQUIRE(first.status == 200);
  const std::string etag = first.headers.at("etag");
  CHECK(first.headers.at("cache-control") == "public, max-age=30");
  CHECK_THAT(first.headers.at("content-security-policy"), Catch::Contains("script-src 'sha256-"));
  CHECK_THAT(first.headers.at("content-security-policy"), Catch::Contains("default-src 'none'"));
  CHECK(first.headers.at("x-content-type-options") == "nosniff");
  const auto again = page.get("/status", {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(page.get("/status", {{"If-None-Match", "W/" + etag + ", \"other\""}}).status == 304);
  CHECK(page.get("/status", {{"If-Modified-Since", first.headers.at("last-modified")}}).status == 304);
  CHECK(page.get("/status", {{"If-None-Match", "\"stale\""}}).status == 200);

  CHECK_THAT(page.get("/api/v2/status.json").headers.at("content-type"), Catch::StartsWith("application/json"));
  CHECK(page.get("/api/v2/components.json").headers.at("access-control-allow-origin") == "*");
  CHECK_THAT(page.get("/history.atom").headers.at("content-type"), Catch::StartsWith("application/atom+xml"));
  CHECK(page.get("/api/v2/incidents/unresolved.json").status == 200);
  CHECK(fakes::http_call(page.bot.port(), "POST", "/status", "x").status == 405);

  page.command("declare Email delays");
  page.command("INC-1 publish investigating Emails arrive late");
  page.page_within_a_second("/status", "Emails arrive late");
  CHECK(page.get("/status", {{"If-None-Match", etag}}).status == 200);  // the page changed
}

TEST_CASE("status page: a private incident stays off the page, the JSON and the feed until the owner releases it") {
  PageBot page;
  page.command("declare Unusual account activity sev1 private");
  page.command("INC-1 role comms <@U0CAROL>");
  const auto held = page.command("INC-1 publish investigating We are looking into reports of account access issues",
                                 "U0CAROL");
  CHECK_THAT(held, Catch::Contains("Held for the owner's release"));
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));  // past the snapshot's next look at the store
  for (const std::string target : {"/status", "/api/v2/summary.json", "/api/v2/incidents.json",
                                   "/api/v2/incidents/unresolved.json", "/history.atom"})
    CHECK_THAT(page.get(target).body, !Catch::Contains("account access issues"));
  CHECK(summary(page).at("incidents").as_array().empty());

  CHECK_THAT(page.command("INC-1 publish approve", "U0CAROL"), Catch::Contains("Only the owner"));
  CHECK_THAT(page.command("INC-1 publish approve"), Catch::Contains("released to the status page: 1 update(s)"));
  CHECK_THAT(page.page_within_a_second("/history.atom", "account access issues"), Catch::Contains("account access issues"));
  CHECK(summary(page).at("status").at("indicator").as_string() == "critical");
}

TEST_CASE("http_date writes RFC 9110's IMF-fixdate") {
  CHECK(bot::http_date(0) == "Thu, 01 Jan 1970 00:00:00 GMT");
  CHECK(bot::http_date(1'795'000'000) == "Wed, 18 Nov 2026 11:06:40 GMT");
  CHECK(bot::http_date(951'782'400) == "Tue, 29 Feb 2000 00:00:00 GMT");
}

namespace {

// Runs a shell command and gives its standard output; fails the test when it exits non-zero.
std::string output_of(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (const std::size_t read = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, read);
  const int status = ::pclose(pipe);
  INFO(command);
  REQUIRE(status == 0);
  while (!output.empty() && output.back() == '\n') output.pop_back();
  return output;
}

void publish_sample(PageBot& page) {
  page.command("declare Card payments fail sev2");
  page.command("INC-1 publish identified Some card payments fail; a fix is being deployed impact:major components:checkout");
  page.page_within_a_second("/status", "a fix is being deployed");
}

}  // namespace

TEST_CASE("status page: headless Chromium renders the banner, the component states and the update", "[browser]") {
  PageBot page;
  publish_sample(page);
  const std::string url = "http://127.0.0.1:" + std::to_string(page.bot.port()) + "/status";
  const std::string profile = (page.bot.folder() / "chromium").string();
  const std::string chromium = "timeout 90 chromium --headless --no-sandbox --disable-gpu --no-first-run "
                               "--disable-dev-shm-usage --user-data-dir=" + profile;
  const std::string dom = output_of(chromium + " --dump-dom " + url + " 2>/dev/null");
  CHECK_THAT(dom, Catch::Contains("<h2 id=\"overall\">Partial System Outage</h2>"));
  CHECK_THAT(dom, Catch::Contains("<span class=\"state state-partial_outage\">Partial outage</span>"));
  CHECK_THAT(dom, Catch::Contains("<span class=\"state state-operational\">Operational</span>"));
  CHECK_THAT(dom, Catch::Contains("Some card payments fail; a fix is being deployed"));
  CHECK_THAT(dom, Catch::Contains(" your time)"));  // the page's one script ran under its Content-Security-Policy

  const auto screenshot = std::filesystem::current_path() / "status-page.png";
  std::filesystem::remove(screenshot);
  output_of(chromium + " --hide-scrollbars --window-size=900,1100 --screenshot=" + screenshot.string() + " " + url +
            " 2>/dev/null");
  REQUIRE(std::filesystem::exists(screenshot));
  CHECK(std::filesystem::file_size(screenshot) > 10'000);
}

TEST_CASE("status page: the served feed is well-formed Atom to an XML parser") {
  PageBot page;
  publish_sample(page);
  const auto feed = page.bot.folder() / "history.atom";
  std::ofstream(feed) << page.get("/history.atom").body;
  output_of("xmllint --noout " + feed.string());
  const std::string atom = "//*[local-name()='feed']/*[local-name()='entry']";
  CHECK(output_of("xmllint --xpath \"count(" + atom + ")\" " + feed.string()) == "1");
  CHECK_THAT(output_of("xmllint --xpath \"string(" + atom + "/*[local-name()='id'])\" " + feed.string()),
             Catch::Matches("https://status\\.example\\.com/status/incidents/[a-z0-9]{12}#update-1"));
}
