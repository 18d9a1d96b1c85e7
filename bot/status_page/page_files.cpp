#include "bot/status_page/page_files.hpp"

#include "store/store.hpp"

namespace incident_bot::bot {

namespace {

constexpr const char* html_type = "text/html; charset=utf-8";
constexpr const char* json_type = "application/json";
constexpr const char* atom_type = "application/atom+xml; charset=utf-8";

}  // namespace

std::vector<PageFile> page_files(const templates::PageView& view) {
  std::vector<PageFile> files{
      {"/status", html_type, templates::status_html(view)},
      {"/api/v2/summary.json", json_type, templates::summary_json(view)},
      {"/api/v2/status.json", json_type, templates::status_json(view)},
      {"/api/v2/components.json", json_type, templates::components_json(view)},
      {"/api/v2/incidents.json", json_type, templates::incidents_json(view)},
      {"/api/v2/incidents/unresolved.json", json_type, templates::unresolved_json(view)},
      {"/history.atom", atom_type, templates::history_atom(view)},
  };
  for (const auto& entry : view.entries)
    files.push_back({"/status/incidents/" + entry.public_id, html_type, templates::incident_html(view, entry)});
  return files;
}

std::vector<PageFile> page_files(SQLite::Database& db, const templates::PageSettings& settings, Timestamp now) {
  const std::vector<PublicEntry> entries = store::public_entries(db);
  return page_files(templates::PageView{settings, entries, now});
}

std::string static_file_name(const PageFile& file) {
  const std::string relative = file.path.substr(1);
  if (file.content_type.starts_with("text/html")) return relative + "/index.html";
  return relative;
}

}  // namespace incident_bot::bot
