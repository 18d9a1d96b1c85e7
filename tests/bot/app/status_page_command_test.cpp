#include "bot/app/status_page_command.hpp"

#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"
#include "store/store.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// A store holding one published incident and one private draft, with a config naming it.
struct PublishedStore {
  fakes::TempDir folder;
  fs::path config = folder.path / "config.json";

  PublishedStore() {
    auto db = store::open((folder.path / "bot.db").string());
    for (std::int64_t number : {1, 2}) {
      Incident incident;
      incident.number = number;
      incident.title = "internal title";
      store::save_incident(db, incident);
    }
    PublicEntry entry;
    entry.public_id = "k3x9q2m7zt4a";
    entry.title = "Payments degraded";
    entry.updates = {PublicUpdate{1, PublicStatus::identified, Impact::major, "Some payments fail", {"Checkout"}, 100, 100}};
    store::save_public_entry(db, 1, entry);
    PublicEntry draft = entry;
    draft.public_id = "heldheldheld";
    draft.updates[0].display_at = 0;
    draft.updates[0].body = "a held draft";
    store::save_public_entry(db, 2, draft);
    std::ofstream(config) << R"({"store": {"path": ")" << (folder.path / "bot.db").string()
                          << R"("}, "http": {"listen": "127.0.0.1:0"},
                              "status_page": {"title": "Shop", "components": ["Checkout"]}})";
  }
};

}  // namespace

TEST_CASE("status-page --out writes the page, the incident pages, the JSON and the feed as static files") {
  PublishedStore published;
  const fs::path out = published.folder.path / "site";
  const std::string command = std::string(INCIDENT_BOT_EXE) + " status-page --out " + out.string() + " --config " +
                              published.config.string() + " > " + (published.folder.path / "out.txt").string() + " 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  CHECK_THAT(slurp(published.folder.path / "out.txt"), Catch::StartsWith("status-page: wrote 9 files to "));
  CHECK_THAT(slurp(out / "status" / "index.html"), Catch::Contains("Some payments fail"));
  CHECK(slurp(out / "index.html") == slurp(out / "status" / "index.html"));
  CHECK_THAT(slurp(out / "status" / "incidents" / "k3x9q2m7zt4a" / "index.html"), Catch::Contains("Payments degraded"));
  CHECK_THAT(slurp(out / "api" / "v2" / "summary.json"), Catch::Contains("\"indicator\":\"major\""));
  CHECK(fs::exists(out / "api" / "v2" / "incidents" / "unresolved.json"));
  CHECK_THAT(slurp(out / "history.atom"), Catch::Contains("k3x9q2m7zt4a#update-1"));
  for (const auto& file : fs::recursive_directory_iterator(out)) {
    if (!file.is_regular_file()) continue;
    CHECK_THAT(slurp(file.path()), !Catch::Contains("a held draft"));
    CHECK_THAT(slurp(file.path()), !Catch::Contains("internal title"));
    CHECK(file.path().extension() != ".partial");
  }
  CHECK_FALSE(fs::exists(out / "status" / "incidents" / "heldheldheld"));
}

TEST_CASE("the console's status page answers on http.listen, on the port it bound") {
  PublishedStore published;
  const auto loaded = bot::load_config(published.config.string());
  const auto& config = std::get<bot::Config>(loaded);
  auto db = store::open(config.store.path);
  boost::asio::io_context io;
  const auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_st>());
  auto page = bot::serve_status_page(io, db, config, logger);
  REQUIRE(page);
  const std::string url = page->url();
  REQUIRE_THAT(url, Catch::StartsWith("http://127.0.0.1:"));
  CHECK_THAT(url, Catch::EndsWith("/status"));
  const auto port = static_cast<unsigned short>(std::stoi(url.substr(17, url.rfind('/') - 17)));
  std::thread server([&] { io.run(); });
  const auto answer = fakes::http_call(port, "GET", "/status", "");
  page->stop();
  server.join();
  CHECK(answer.status == 200);
  CHECK_THAT(answer.body, Catch::Contains("Some payments fail"));

  bot::Config disabled = config;
  disabled.status_page.enabled = false;
  CHECK_FALSE(bot::serve_status_page(io, db, disabled, logger));
}

TEST_CASE("a status page whose address is taken is logged, and the console goes on without it") {
  PublishedStore published;
  auto config = std::get<bot::Config>(bot::load_config(published.config.string()));
  auto db = store::open(config.store.path);
  boost::asio::io_context io;
  const auto logger = std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::null_sink_st>());
  auto first = bot::serve_status_page(io, db, config, logger);
  REQUIRE(first);
  const std::string url = first->url();
  config.http.listen = url.substr(7, url.rfind('/') - 7);  // the same host:port
  CHECK_FALSE(bot::serve_status_page(io, db, config, logger));
  first->stop();
}
