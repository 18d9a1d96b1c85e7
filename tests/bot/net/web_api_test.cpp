#include "bot/net/web_api.hpp"
#include "fakes/fake_http_client.hpp"
#include "fakes/run_sync.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/null_sink.h>

using namespace incident_bot;
using namespace std::chrono_literals;

TEST_CASE("retry_after_of: Retry-After first, then X-Ratelimit-Reset seconds — dates and epochs are absent") {
  CHECK(bot::retry_after_of({{"Retry-After", " 3 "}}) == 3s);
  CHECK(bot::retry_after_of({{"X-Ratelimit-Reset", "7"}}) == 7s);
  CHECK(bot::retry_after_of({{"Retry-After", "2"}, {"X-Ratelimit-Reset", "7"}}) == 2s);
  CHECK_FALSE(bot::retry_after_of({{"Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"}}));
  CHECK_FALSE(bot::retry_after_of({{"X-Ratelimit-Reset", "1795000000"}}));
  CHECK_FALSE(bot::retry_after_of({{"Retry-After", "-1"}}));
  CHECK_FALSE(bot::retry_after_of({}));
}

namespace {

struct Harness {
  boost::asio::io_context io;
  fakes::ManualClock time;
  bot::RetryPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(400), 4, std::chrono::seconds(60)};
  bot::Retrier retrier{"test", policy, time.clock(), std::make_shared<spdlog::logger>("t", std::make_shared<spdlog::sinks::null_sink_st>())};
  std::vector<bot::Disposition> answers;
  int sent = 0;

  bot::ApiResult run(const std::string& key) {
    return fakes::run_sync(io, retrier.call(
        key, key,
        [this]() -> boost::asio::awaitable<bot::HttpResult> {
          ++sent;
          co_return bot::HttpResult{};
        },
        [this](const bot::HttpResult&) {
          bot::ApiResult result;
          result.disposition = answers.empty() ? bot::Disposition::ok : answers.front();
          if (!answers.empty()) answers.erase(answers.begin());
          result.ok = result.disposition == bot::Disposition::ok;
          if (result.disposition == bot::Disposition::rate_limited) result.retry_after = 2s;
          return result;
        }));
  }
};

}  // namespace

TEST_CASE("the retrier backs off with jitter within the cap, waits out rate limits, stops at max_attempts") {
  Harness h;
  for (int attempt = 1; attempt <= 6; ++attempt) {
    const auto delay = h.retrier.backoff(attempt);
    const auto full = std::min(100ms * (1 << (attempt - 1)), 400ms);
    CHECK(delay >= full / 2);
    CHECK(delay <= full);
  }
  h.answers = {bot::Disposition::retry, bot::Disposition::rate_limited};
  const auto done = h.run("a");
  CHECK(done.ok);
  CHECK(done.attempts == 3);
  REQUIRE(h.time.sleeps().size() == 2);
  CHECK(h.time.sleeps()[1] == 2000ms);

  h.answers = {bot::Disposition::retry, bot::Disposition::retry, bot::Disposition::retry, bot::Disposition::retry};
  const auto failed = h.run("b");
  CHECK_FALSE(failed.ok);
  CHECK(failed.attempts == 4);
  h.answers = {bot::Disposition::give_up};
  CHECK(h.run("c").attempts == 1);
}

TEST_CASE("begin_answer: a transport error is retried; a JSON object body is kept") {
  bot::HttpResult failed;
  failed.ec = boost::asio::error::connection_refused;
  const auto refused = bot::begin_answer(failed);
  CHECK(refused.error == "transport_error");
  CHECK(refused.disposition == bot::Disposition::retry);

  bot::HttpResult answered;
  answered.status = 200;
  answered.body = R"({"ok":true,"ts":"1.2"})";
  const auto result = bot::begin_answer(answered);
  CHECK(result.http_status == 200);
  CHECK(result.body.at("ts") == "1.2");

  answered.body = "not json";
  CHECK(bot::begin_answer(answered).body.empty());
}

TEST_CASE("begin_answer: a transport error after the request was sent leaves the outcome unknown") {
  const auto refused = bot::begin_answer(fakes::FakeHttpClient::failure(boost::asio::error::connection_refused));
  CHECK_FALSE(refused.outcome_unknown);
  const auto lost = bot::begin_answer(fakes::FakeHttpClient::lost_after_sending(boost::asio::error::connection_reset));
  CHECK(lost.outcome_unknown);
  CHECK(lost.error == "transport_error");
  CHECK(lost.disposition == bot::Disposition::retry);
  CHECK_FALSE(bot::begin_answer(fakes::FakeHttpClient::slack_ok()).outcome_unknown);
}

namespace {

// A Retrier over FakeHttpClient, reading answers as Slack's do: {"ok":true} or an error.
struct FakeApi {
  boost::asio::io_context io;
  fakes::ManualClock time;
  fakes::FakeHttpClient http;
  bot::RetryPolicy policy{std::chrono::milliseconds(100), std::chrono::milliseconds(400), 4, std::chrono::seconds(60)};
  bot::Retrier retrier{"test", policy, time.clock(),
                       std::make_shared<spdlog::logger>("t", std::make_shared<spdlog::sinks::null_sink_st>())};

  bot::ApiResult post(bot::Repeat repeat) {
    return fakes::run_sync(io, retrier.call(
        "chat.postMessage", "chat.postMessage",
        [this] {
          bot::HttpRequest request;
          request.url = "https://slack.test/api/chat.postMessage";
          return http.send(std::move(request));
        },
        [](const bot::HttpResult& response) {
          auto result = bot::begin_answer(response);
          if (result.ec) return result;
          result.ok = result.body.contains("ok") && result.body.at("ok") == true;
          result.disposition = result.ok ? bot::Disposition::ok : bot::Disposition::give_up;
          return result;
        },
        repeat));
  }
};

}  // namespace

TEST_CASE("the retrier never repeats a not_safe call whose request was sent without an answer") {
  FakeApi api;
  api.http.push("chat.postMessage", fakes::FakeHttpClient::lost_after_sending(boost::asio::error::connection_reset));
  const auto result = api.post(bot::Repeat::not_safe);
  CHECK(api.http.sent("chat.postMessage").size() == 1);
  CHECK(result.outcome_unknown);
  CHECK_FALSE(result.ok);
  CHECK(result.error == "transport_error");
  CHECK(result.disposition == bot::Disposition::retry);
  CHECK(result.ec == boost::asio::error::connection_reset);
  CHECK(result.attempts == 1);
  CHECK(api.time.sleeps().empty());
}

TEST_CASE("the retrier repeats a not_safe call whose request never left") {
  FakeApi api;
  api.http.push("chat.postMessage", fakes::FakeHttpClient::failure(boost::asio::error::connection_refused));
  const auto result = api.post(bot::Repeat::not_safe);
  CHECK(api.http.sent("chat.postMessage").size() == 2);
  CHECK(result.ok);
  CHECK_FALSE(result.outcome_unknown);
  CHECK(result.attempts == 2);
  CHECK(api.time.sleeps().size() == 1);
}

TEST_CASE("the retrier repeats a safe call lost after sending, as it always did") {
  FakeApi api;
  api.http.push("chat.postMessage", fakes::FakeHttpClient::lost_after_sending(boost::asio::error::connection_reset));
  const auto recovered = api.post(bot::Repeat::safe);
  CHECK(api.http.sent("chat.postMessage").size() == 2);
  CHECK(recovered.ok);
  CHECK_FALSE(recovered.outcome_unknown);

  for (int i = 0; i < 4; ++i)
    api.http.push("chat.postMessage", fakes::FakeHttpClient::lost_after_sending(boost::asio::error::timed_out));
  const auto exhausted = api.post(bot::Repeat::safe);
  CHECK(api.http.sent("chat.postMessage").size() == 6);
  CHECK(exhausted.attempts == 4);
  CHECK(exhausted.disposition == bot::Disposition::retry);
  CHECK(exhausted.outcome_unknown);  // of the last attempt
}
