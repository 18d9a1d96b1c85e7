#pragma once
// Time for coroutines that wait (backoff, rate limits, caches); tests hand in a manual one.
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>

namespace incident_bot::bot {

struct AsyncClock {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<boost::asio::awaitable<void>(std::chrono::milliseconds)> sleep;
};

// std::chrono::steady_clock, and a steady_timer on the awaiting coroutine's executor.
AsyncClock real_async_clock();

}  // namespace incident_bot::bot
