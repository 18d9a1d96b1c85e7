#include "bot/net/refusal_log.hpp"

namespace incident_bot::bot {

namespace {

constexpr std::int64_t minute = 60;

}  // namespace

RefusalLog::RefusalLog(std::shared_ptr<spdlog::logger> logger, std::string what, std::function<std::int64_t()> clock)
    : logger_(std::move(logger)), what_(std::move(what)), clock_(std::move(clock)) {}

RefusalLog::~RefusalLog() { tell_count(); }

void RefusalLog::refused(const ServerRequest& request, std::string_view reason) {
  const std::int64_t now = clock_();
  if (logged_at_ && now >= *logged_at_ && now < *logged_at_ + minute) {
    ++untold_;
    return;
  }
  tell_count();
  const std::string_view target = request.target();
  logger_->warn("refused {} {}: {}", std::string_view(request.method_string()), target.substr(0, target.find('?')),
                reason);
  logged_at_ = now;
}

void RefusalLog::tell_count() {
  if (untold_ == 0) return;
  logger_->warn("refused {} more {} in the minute after the last one logged", untold_, what_);
  untold_ = 0;
}

}  // namespace incident_bot::bot
