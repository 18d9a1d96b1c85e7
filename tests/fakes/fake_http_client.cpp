#include "fakes/fake_http_client.hpp"

#include <boost/json/serialize.hpp>

namespace incident_bot::fakes {

bot::AsyncClock ManualClock::clock() {
  return {now_function(), [this](std::chrono::milliseconds duration) { return sleep(this, duration); }};
}

std::function<ManualClock::TimePoint()> ManualClock::now_function() {
  return [this] { return now_; };
}

boost::asio::awaitable<void> ManualClock::sleep(ManualClock* self, std::chrono::milliseconds duration) {
  self->sleeps_.push_back(duration);
  self->now_ += duration;
  co_return;
}

void FakeHttpClient::push(const std::string& method, bot::HttpResult result) {
  answers_[method].push_back(std::move(result));
}

std::vector<SentRequest> FakeHttpClient::sent(const std::string& method) const {
  std::vector<SentRequest> matching;
  for (const auto& request : sent_)
    if (request.method == method) matching.push_back(request);
  return matching;
}

boost::asio::awaitable<bot::HttpResult> FakeHttpClient::send(bot::HttpRequest request) {
  const auto path = request.url.substr(0, request.url.find('?'));
  auto method = path.substr(path.rfind('/') + 1);
  sent_.push_back({method, request, now_()});
  auto& queue = answers_[method];
  if (queue.empty()) co_return default_;
  auto answer = std::move(queue.front());
  queue.pop_front();
  co_return answer;
}

bot::HttpResult FakeHttpClient::slack_ok(boost::json::object fields) {
  boost::json::object body{{"ok", true}};
  for (const auto& field : fields) body.insert(field);
  return status(200, {{"Content-Type", "application/json; charset=utf-8"}}, boost::json::serialize(body));
}

bot::HttpResult FakeHttpClient::slack_error(const std::string& error) {
  return status(200, {{"Content-Type", "application/json; charset=utf-8"}},
                boost::json::serialize(boost::json::object{{"ok", false}, {"error", error}}));
}

bot::HttpResult FakeHttpClient::status(int status, bot::HttpHeaders headers, std::string body) {
  bot::HttpResult result;
  result.status = status;
  result.request_sent = true;  // an answer came, so the request had gone out
  result.headers = std::move(headers);
  result.body = std::move(body);
  return result;
}

bot::HttpResult FakeHttpClient::failure(boost::system::error_code ec) {
  bot::HttpResult result;
  result.ec = ec;
  return result;
}

bot::HttpResult FakeHttpClient::lost_after_sending(boost::system::error_code ec) {
  auto result = failure(ec);
  result.request_sent = true;
  return result;
}

}  // namespace incident_bot::fakes
