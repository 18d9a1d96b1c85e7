#include "bot/net/web_api.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

namespace incident_bot::bot {

namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

std::optional<seconds> whole_seconds(std::optional<std::string> value) {
  if (!value) return std::nullopt;
  std::string_view text = *value;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  long long count = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (error != std::errc{} || end != text.data() + text.size() || count < 0) return std::nullopt;
  return seconds(count);
}

}  // namespace

std::optional<seconds> retry_after_of(const HttpHeaders& headers) {
  if (const auto retry_after = whole_seconds(headers.find("Retry-After")))
    return std::min(*retry_after, seconds(86400));
  // A reset beyond a day is an epoch time, not a wait: without a wall clock it says nothing.
  if (const auto reset = whole_seconds(headers.find("X-Ratelimit-Reset")); reset && *reset <= seconds(86400))
    return reset;
  return std::nullopt;
}

Retrier::Retrier(std::string service, RetryPolicy policy, AsyncClock clock, std::shared_ptr<spdlog::logger> logger)
    : service_(std::move(service)), policy_(policy), clock_(std::move(clock)), logger_(std::move(logger)) {}

asio::awaitable<ApiResult> Retrier::call(std::string label, std::string rate_key,
                                         std::function<asio::awaitable<HttpResult>()> send,
                                         std::function<ApiResult(const HttpResult&)> read, Repeat repeat) {
  ApiResult result;
  for (int attempt = 1;; ++attempt) {
    // A 429 on this key, from this call or an earlier one, is waited out first.
    if (const auto found = rate_limited_until_.find(rate_key); found != rate_limited_until_.end()) {
      const auto left = std::chrono::ceil<milliseconds>(found->second - clock_.now());
      if (left <= milliseconds(0)) {
        rate_limited_until_.erase(found);
      } else if (left > policy_.max_retry_after) {
        result = ApiResult{.error = "ratelimited", .disposition = Disposition::rate_limited,
                           .retry_after = std::chrono::ceil<seconds>(left), .attempts = attempt - 1};
        logger_->warn("{} {}: rate limited for {} s more; not waiting", service_, label, result.retry_after.count());
        co_return result;
      } else {
        logger_->info("{} {}: rate limited; waiting {} ms", service_, label, left.count());
        co_await clock_.sleep(left);
      }
    }

    const HttpResult response = co_await send();
    result = read(response);
    result.attempts = attempt;
    if (repeat == Repeat::not_safe && response.ec && response.request_sent) {
      // Sending again could do the thing twice; the caller decides what an unknown outcome means.
      result.error = "transport_error";
      result.ec = response.ec;
      result.disposition = Disposition::retry;
      result.outcome_unknown = true;
      logger_->warn("{} {}: transport_error ({}) after the request was sent; not repeated, outcome unknown",
                    service_, label, response.ec.message());
      co_return result;
    }
    if (result.disposition == Disposition::rate_limited) {
      const auto wait = result.retry_after > seconds(0) ? milliseconds(result.retry_after) : backoff(attempt);
      rate_limited_until_[rate_key] = clock_.now() + wait;  // later calls of this key wait too
    }
    const bool again = result.disposition == Disposition::retry || result.disposition == Disposition::rate_limited;
    if (!again || attempt >= policy_.max_attempts) {
      log_outcome(label, result);
      co_return result;
    }
    if (result.disposition == Disposition::rate_limited) continue;  // waited out at the top
    const auto delay = backoff(attempt);
    logger_->info("{} {}: {}{}; attempt {} of {}, again in {} ms", service_, label, result.error,
                  result.ec ? " (" + result.ec.message() + ")" : std::string(), attempt, policy_.max_attempts,
                  delay.count());
    co_await clock_.sleep(delay);
  }
}

milliseconds Retrier::backoff(int attempt) {
  auto delay = policy_.base;
  for (int doubling = 1; doubling < attempt && delay < policy_.cap; ++doubling) delay *= 2;
  delay = std::min(delay, policy_.cap);
  // "Equal jitter": at least half the backoff, so retries never bunch at zero.
  const auto half = delay / 2;
  std::uniform_int_distribution<milliseconds::rep> spread(0, (delay - half).count());
  return half + milliseconds(spread(jitter_));
}

void Retrier::log_outcome(const std::string& label, const ApiResult& result) {
  const auto detail = result.ec ? " (" + result.ec.message() + ")" : std::string();
  switch (result.disposition) {
    case Disposition::ok: logger_->debug("{} {}: ok", service_, label); break;
    case Disposition::already_done: logger_->debug("{} {}: {}, already so", service_, label, result.error); break;
    case Disposition::fatal_auth:
      logger_->error("{} {}: {}: the token was refused; no call can succeed until it is replaced", service_, label,
                     result.error);
      break;
    case Disposition::retry:
    case Disposition::rate_limited:
      logger_->warn("{} {}: {}{}; gave up after {} attempts", service_, label, result.error, detail, result.attempts);
      break;
    default:
      logger_->warn("{} {}: {} ({}); not retried", service_, label, result.error, to_string(result.disposition));
      break;
  }
}

std::string_view to_string(Disposition disposition) {
  switch (disposition) {
    case Disposition::ok: return "ok";
    case Disposition::retry: return "retry";
    case Disposition::rate_limited: return "rate_limited";
    case Disposition::fatal_auth: return "fatal_auth";
    case Disposition::give_up: return "give_up";
    case Disposition::already_done: return "already_done";
    case Disposition::rename: return "rename";
    case Disposition::join_channel: return "join_channel";
    case Disposition::post_new: return "post_new";
  }
  return "unknown";
}

ApiResult begin_answer(const HttpResult& response) {
  ApiResult result;
  result.http_status = response.status;
  result.ec = response.ec;
  if (response.ec) {
    result.error = "transport_error";
    result.disposition = Disposition::retry;
    result.outcome_unknown = response.request_sent;
    return result;
  }
  boost::system::error_code parse_error;
  auto parsed = boost::json::parse(response.body, parse_error);
  if (!parse_error && parsed.is_object()) result.body = std::move(parsed.as_object());
  if (!parse_error && parsed.is_array()) result.items = std::move(parsed.as_array());
  return result;
}

}  // namespace incident_bot::bot
