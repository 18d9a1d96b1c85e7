#pragma once
// An HttpClient without sockets, for unit tests of what sits on top of it (retries, rate
// limits, parsing), and a manual clock whose sleeps return at once and advance time.
//
//   fakes::ManualClock time;
//   fakes::FakeHttpClient http;
//   http.set_clock(time.now_function());  // stamp each request with the manual time
//   http.push("chat.postMessage", fakes::FakeHttpClient::status(429, {{"Retry-After", "3"}}));
//   bot::SlackApi api(http, options, logger, time.clock());
//   fakes::run_sync(io, api.post_message("C1", "hi"));
//   CHECK(time.sleeps() == std::vector{3000ms});
#include "bot/net/async_clock.hpp"
#include "bot/net/http_client.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace incident_bot::fakes {

class ManualClock {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  bot::AsyncClock clock();  // now() reads this clock; sleep(d) records d and advances it by d
  std::function<TimePoint()> now_function();
  TimePoint now() const { return now_; }
  void advance(std::chrono::milliseconds by) { now_ += by; }
  const std::vector<std::chrono::milliseconds>& sleeps() const { return sleeps_; }

 private:
  static boost::asio::awaitable<void> sleep(ManualClock* self, std::chrono::milliseconds duration);
  TimePoint now_ = TimePoint(std::chrono::hours(1));
  std::vector<std::chrono::milliseconds> sleeps_;
};

struct SentRequest {
  std::string method;  // the last path segment of the URL: "chat.postMessage"
  bot::HttpRequest request;
  std::chrono::steady_clock::time_point at;  // by the clock given to set_clock, else steady_clock
};

class FakeHttpClient final : public bot::HttpClient {
 public:
  // Answers, consumed per method in the order pushed; a method with none left gets the
  // default answer (initially 200 {"ok":true}).
  void push(const std::string& method, bot::HttpResult result);
  void set_default(bot::HttpResult result) { default_ = std::move(result); }
  void set_clock(std::function<std::chrono::steady_clock::time_point()> now) { now_ = std::move(now); }

  const std::vector<SentRequest>& sent() const { return sent_; }
  std::vector<SentRequest> sent(const std::string& method) const;

  boost::asio::awaitable<bot::HttpResult> send(bot::HttpRequest request) override;

  // Answers to push.
  static bot::HttpResult slack_ok(boost::json::object fields = {});  // 200 {"ok":true, …fields}
  static bot::HttpResult slack_error(const std::string& error);       // 200 {"ok":false,"error":…}
  static bot::HttpResult status(int status, bot::HttpHeaders headers = {}, std::string body = "");  // request_sent too
  static bot::HttpResult failure(boost::system::error_code ec);  // no answer, the request never sent
  // The request was sent whole, then no answer came: the peer may have acted on it.
  static bot::HttpResult lost_after_sending(boost::system::error_code ec);

 private:
  std::map<std::string, std::deque<bot::HttpResult>> answers_;
  bot::HttpResult default_ = slack_ok();
  std::function<std::chrono::steady_clock::time_point()> now_ = [] { return std::chrono::steady_clock::now(); };
  std::vector<SentRequest> sent_;
};

}  // namespace incident_bot::fakes
