#pragma once
// The status page outside `run`: served beside the console, and written as static files by `status-page --out`.
#include "bot/app/config.hpp"
#include "bot/net/http_server.hpp"
#include "bot/net/router.hpp"
#include "bot/status_page/status_site.hpp"

#include <boost/asio/io_context.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <iosfwd>
#include <memory>
#include <string>

namespace incident_bot::bot {

// The status page on http.listen with its own router and server.
class ServedStatusPage {
 public:
  ServedStatusPage(boost::asio::io_context& io, SQLite::Database& db, const Config& config,
                   std::shared_ptr<spdlog::logger> logger);
  std::string url() const;  // where the page answers, with the port actually bound
  void stop();

 private:
  StatusSite site_;
  Router router_;
  std::unique_ptr<HttpServer> server_;
  std::string host_;
};

// Null when status_page.enabled is false or http.listen cannot be bound (logged: the console goes on without it).
std::unique_ptr<ServedStatusPage> serve_status_page(boost::asio::io_context& io, SQLite::Database& db,
                                                    const Config& config, std::shared_ptr<spdlog::logger> logger);

// Writes every page, JSON document and the feed under `dir` (status/index.html, api/v2/…, history.atom).
int write_status_page(const std::string& dir, const Config& config, Timestamp now, std::ostream& out,
                      std::ostream& err);

}  // namespace incident_bot::bot
