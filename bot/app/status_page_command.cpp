#include "bot/app/status_page_command.hpp"

#include "bot/app/policy.hpp"
#include "bot/app/wall_clock.hpp"
#include "bot/net/url.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>

namespace incident_bot::bot {

ServedStatusPage::ServedStatusPage(boost::asio::io_context& io, SQLite::Database& db, const Config& config,
                                   std::shared_ptr<spdlog::logger> logger)
    : site_(io.get_executor(), db, StatusSiteOptions{page_settings_from(config), [] { return now_utc(); }}, logger) {
  const auto listen = parse_host_port(config.http.listen);
  if (!listen.ok()) throw std::runtime_error("http.listen: " + listen.problem);
  site_.add_routes(router_);
  server_ = std::make_unique<HttpServer>(io, listen.endpoint, std::ref(router_), std::move(logger));
  const std::string address = listen.endpoint.address().to_string();
  host_ = listen.endpoint.address().is_v6() ? "[" + address + "]" : address;
  site_.start();
}

std::string ServedStatusPage::url() const { return "http://" + host_ + ":" + std::to_string(server_->port()) + "/status"; }

void ServedStatusPage::stop() {
  site_.stop();
  server_->stop();
}

std::unique_ptr<ServedStatusPage> serve_status_page(boost::asio::io_context& io, SQLite::Database& db,
                                                    const Config& config, std::shared_ptr<spdlog::logger> logger) {
  if (!config.status_page.enabled) return nullptr;
  try {
    return std::make_unique<ServedStatusPage>(io, db, config, logger);
  } catch (const std::exception& error) {
    logger->warn("the status page is not served on {}: {}", config.http.listen, error.what());
    return nullptr;
  }
}

int write_status_page(const std::string& dir, const Config& config, Timestamp now, std::ostream& out,
                      std::ostream& err) {
  namespace fs = std::filesystem;
  auto db = store::open(config.store.path);
  const auto files = page_files(db, page_settings_from(config), now);
  std::error_code ec;
  for (const auto& file : files) {
    const fs::path path = fs::path(dir) / static_file_name(file);
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      err << "status-page: cannot create " << path.parent_path().string() << ": " << ec.message() << '\n';
      return 1;
    }
    // Written beside, then renamed: a web server reading the folder never serves half a file.
    const fs::path partial = path.string() + ".partial";
    std::ofstream(partial, std::ios::binary | std::ios::trunc) << file.body;
    fs::rename(partial, path, ec);
    if (ec) {
      err << "status-page: cannot write " << path.string() << ": " << ec.message() << '\n';
      return 1;
    }
  }
  // The page at the folder's root too, for static hosts that serve index.html at /.
  fs::copy_file(fs::path(dir) / "status" / "index.html", fs::path(dir) / "index.html", fs::copy_options::overwrite_existing, ec);
  out << "status-page: wrote " << files.size() + 1 << " files to " << dir << '\n';
  return 0;
}

}  // namespace incident_bot::bot
