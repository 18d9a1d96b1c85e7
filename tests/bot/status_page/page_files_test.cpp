#include "bot/status_page/page_files.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace incident_bot;

TEST_CASE("page files: every route of the page, one page per public incident, and where each goes on a static host") {
  templates::PageSettings settings;
  PublicEntry entry;
  entry.public_id = "k3x9q2m7zt4a";
  entry.title = "Payments";
  entry.updates = {PublicUpdate{1, PublicStatus::identified, Impact::major, "Some fail", {}, 100, 100}};
  const std::vector<PublicEntry> entries{entry};
  const auto files = bot::page_files(templates::PageView{settings, entries, 200});
  std::set<std::string> paths;
  for (const auto& file : files) paths.insert(file.path + " -> " + bot::static_file_name(file));
  CHECK(paths == std::set<std::string>{"/status -> status/index.html",
                                       "/status/incidents/k3x9q2m7zt4a -> status/incidents/k3x9q2m7zt4a/index.html",
                                       "/api/v2/summary.json -> api/v2/summary.json",
                                       "/api/v2/status.json -> api/v2/status.json",
                                       "/api/v2/components.json -> api/v2/components.json",
                                       "/api/v2/incidents.json -> api/v2/incidents.json",
                                       "/api/v2/incidents/unresolved.json -> api/v2/incidents/unresolved.json",
                                       "/history.atom -> history.atom"});
  for (const auto& file : files) CHECK_FALSE(file.body.empty());
}
