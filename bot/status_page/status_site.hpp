#pragma once
// The status page over HTTP: every document rendered once per change into a snapshot, answered from memory
// with ETag, Last-Modified and Cache-Control, 304 when the reader has it already. A second's timer reads the
// store's public revision (one indexed read) so a publish by any process shows within a second.
#include "bot/net/router.hpp"
#include "bot/status_page/page_files.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace incident_bot::bot {

struct StatusSiteOptions {
  templates::PageSettings settings;
  std::function<Timestamp()> clock;
  std::chrono::milliseconds check_every{500};  // how often the store's public revision is read
  Seconds rebuild_every = 60;                   // the history window moves with time even when nothing is published
};

class StatusSite {
 public:
  StatusSite(boost::asio::any_io_executor executor, SQLite::Database& db, StatusSiteOptions options,
             std::shared_ptr<spdlog::logger> logger);
  ~StatusSite();

  void add_routes(Router& router);
  void start();  // builds the first snapshot and starts the timer
  void stop();
  // Reads the revision now and rebuilds when it moved: after this process committed a publish.
  void refresh();

  ServerResponse answer(const ServerRequest& request) const;

 private:
  struct Document {
    std::string content_type;
    std::string body;
    std::string etag;
  };
  struct Snapshot {
    std::map<std::string, Document, std::less<>> documents;  // by path
    std::string last_modified;                               // HTTP date
    std::int64_t revision = -1;
    Timestamp built_at = 0;
  };
  void rebuild(std::int64_t revision);
  void schedule();

  SQLite::Database& db_;
  StatusSiteOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::string content_security_policy_;
  bool stopped_ = false;
};

// "Wed, 02 Dec 2026 14:05:00 GMT" (RFC 9110's IMF-fixdate).
std::string http_date(Timestamp at);

}  // namespace incident_bot::bot
