#include "bot/app/health.hpp"

#include "store/store.hpp"

#include <boost/beast/http/status.hpp>

#include <optional>
#include <string>

namespace incident_bot::bot {

namespace http = boost::beast::http;

HealthCheck::HealthCheck(SQLite::Database& db, HealthOptions options, std::shared_ptr<spdlog::logger> logger)
    : db_(db), options_(std::move(options)), logger_(std::move(logger)) {}

ServerResponse HealthCheck::answer() {
  std::optional<Timestamp> oldest;
  try {
    oldest = store::oldest_open_post(db_);
  } catch (const std::exception& failure) {
    // The store's own words go to the operator's log, once; the unauthenticated caller hears the class only.
    if (!store_unavailable_)
      logger_->error("healthz: the store could not be read: {}; answering 503 until it can", failure.what());
    store_unavailable_ = true;
    return plain_response(http::status::service_unavailable, "store: unavailable\n");
  }
  if (store_unavailable_) logger_->info("healthz: the store can be read again");
  store_unavailable_ = false;
  if (options_.scheduler_failing && options_.scheduler_failing())
    return plain_response(http::status::service_unavailable, "scheduler: the last sweep failed\n");
  const Timestamp now = options_.clock();
  if (oldest && now - *oldest > options_.stuck_after)
    return plain_response(http::status::service_unavailable,
                          "outbox: a post has waited " + std::to_string(now - *oldest) + " s (outbox.stuck_after is " +
                              std::to_string(options_.stuck_after) + " s)\n");
  return plain_response(http::status::ok, "ok\n");
}

}  // namespace incident_bot::bot
