#pragma once
// What the chat Web API clients (Slack, Mattermost) share: the answer of one call, the retry
// policy, and the retry loop itself — per-key rate limits (429 + Retry-After) waited out before
// the next attempt of that key, capped exponential backoff with jitter for transient failures.
#include "bot/net/async_clock.hpp"
#include "bot/net/http_client.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <spdlog/logger.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

namespace incident_bot::bot {

// What the caller does about one answer; each chat maps its own errors to these.
enum class Disposition {
  ok,            // the call succeeded
  retry,         // transient: try again after a backoff
  rate_limited,  // wait Retry-After for this method, then try again
  fatal_auth,    // the token is bad: stop calling Slack until it is replaced
  give_up,       // log once; the same call can never succeed
  already_done,  // the wanted state already holds (already_in_channel, already_pinned): a success
  rename,        // conversations.create name_taken: the caller picks another name
  join_channel,  // not_in_channel: the bot joins the channel (conversations.join), then retries
  post_new,      // chat.update cannot edit that message: post a new one instead
};
std::string_view to_string(Disposition disposition);

struct RetryPolicy {
  std::chrono::milliseconds base{1000};  // the first backoff; doubled per attempt
  std::chrono::milliseconds cap{30'000};  // no backoff is longer
  int max_attempts = 5;  // every try counts: 429s, 5xx, transport errors, retryable errors
  // A Retry-After (or a wait left over from one) longer than this is returned to the caller
  // as rate_limited instead of being waited out inside the call.
  std::chrono::seconds max_retry_after{300};
};

struct ApiResult {
  bool ok = false;
  // The platform's error; "http_<status>" for a non-2xx answer without one; "transport_error" when
  // no answer arrived (see ec); "invalid_response" for a body that is not the JSON expected.
  std::string error;
  boost::json::object body;  // the whole answer when it parsed as an object
  boost::json::array items;  // the whole answer when it parsed as an array (Mattermost answers lists so)
  Disposition disposition = Disposition::give_up;  // ok when ok; what to do otherwise
  int http_status = 0;
  boost::system::error_code ec;  // the transport error of the last attempt
  std::chrono::seconds retry_after{0};  // with rate_limited: what the server asked for
  int attempts = 0;
  // The last attempt's request was sent and no answer came: the call may have taken effect.
  bool outcome_unknown = false;

  // ok, or the wanted state already held (already_in_channel, already_pinned, …).
  bool succeeded() const { return ok || disposition == Disposition::already_done; }
};

// The part of reading an answer every Web API shares: the status, the transport error (retried;
// outcome_unknown when the request had been sent), and the body when it is a JSON object.
ApiResult begin_answer(const HttpResult& response);

// A convenience method's answer: value is meaningful only when result.ok.
template <class T>
struct ApiValue {
  ApiResult result;
  T value{};
  bool ok() const { return result.ok; }
};

// How long a 429 asks to wait: Retry-After in seconds, else X-Ratelimit-Reset (Mattermost: the
// seconds until the window resets). An HTTP-date, an epoch time or garbage counts as absent.
std::optional<std::chrono::seconds> retry_after_of(const HttpHeaders& headers);

// Whether sending a call twice is harmless. A not_safe call (one that creates something, such as a
// post) is never sent again once a request went out and no answer came: the first may have landed.
enum class Repeat { safe, not_safe };

// Use from one thread or strand: the rate-limit table is not locked.
class Retrier {
 public:
  // service names the API in log lines ("slack", "mattermost").
  Retrier(std::string service, RetryPolicy policy, AsyncClock clock, std::shared_ptr<spdlog::logger> logger);

  // Sends until an answer is final: read() says what each answer means; retry and rate_limited
  // are tried again up to max_attempts. A 429 holds back every call with the same rate_key
  // (Slack limits per method, Mattermost per token). Logs the label and the error only, never a
  // body or a header. With Repeat::not_safe, a transport error after the request was sent ends
  // the call at once: disposition retry, error "transport_error", outcome_unknown.
  boost::asio::awaitable<ApiResult> call(std::string label, std::string rate_key,
                                         std::function<boost::asio::awaitable<HttpResult>()> send,
                                         std::function<ApiResult(const HttpResult&)> read,
                                         Repeat repeat = Repeat::safe);

  std::chrono::milliseconds backoff(int attempt);  // "equal jitter": half the capped backoff, plus up to half
  const RetryPolicy& policy() const { return policy_; }
  const AsyncClock& clock() const { return clock_; }

 private:
  void log_outcome(const std::string& label, const ApiResult& result);

  std::string service_;
  RetryPolicy policy_;
  AsyncClock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  std::map<std::string, std::chrono::steady_clock::time_point, std::less<>> rate_limited_until_;  // by key
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace incident_bot::bot
