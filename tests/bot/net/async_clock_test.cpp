#include "bot/net/async_clock.hpp"

#include "fakes/run_sync.hpp"

#include <catch2/catch.hpp>

using incident_bot::bot::real_async_clock;
using namespace std::chrono_literals;

namespace {

boost::asio::awaitable<std::chrono::steady_clock::duration> timed_sleep(std::chrono::milliseconds duration) {
  auto clock = real_async_clock();
  const auto started = clock.now();
  co_await clock.sleep(duration);
  co_return clock.now() - started;
}

}  // namespace

TEST_CASE("async clock: the real clock's sleep lasts at least as asked", "[async_clock]") {
  boost::asio::io_context io;
  const auto slept = incident_bot::fakes::run_sync(io, timed_sleep(20ms));
  CHECK(slept >= 20ms);
  CHECK(slept < 5s);
}

TEST_CASE("async clock: a zero sleep returns", "[async_clock]") {
  boost::asio::io_context io;
  CHECK(incident_bot::fakes::run_sync(io, timed_sleep(0ms)) >= 0ms);
}
