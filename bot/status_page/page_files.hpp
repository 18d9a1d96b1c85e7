#pragma once
// Every document of the status page as a file: its path on the server, its type and its bytes. The HTTP
// snapshot serves them and `incident-bot status-page --out DIR` writes them.
#include "templates/status_page.hpp"

#include <SQLiteCpp/Database.h>

#include <string>
#include <vector>

namespace incident_bot::bot {

struct PageFile {
  std::string path;          // "/status", "/status/incidents/<id>", "/api/v2/summary.json", "/history.atom"
  std::string content_type;  // with its charset
  std::string body;
};

// The page, its incidents' pages, the five JSON documents and the feed, from the store's public entries.
std::vector<PageFile> page_files(SQLite::Database& db, const templates::PageSettings& settings, Timestamp now);
std::vector<PageFile> page_files(const templates::PageView& view);

// Where a file goes under a static site's folder: "/status" -> "status/index.html", "/history.atom" as is.
std::string static_file_name(const PageFile& file);

}  // namespace incident_bot::bot
