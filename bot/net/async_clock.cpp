#include "bot/net/async_clock.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace incident_bot::bot {

namespace {

boost::asio::awaitable<void> sleep_on_timer(std::chrono::milliseconds duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  boost::system::error_code ignored;  // a cancelled sleep simply ends early
  co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
}

}  // namespace

AsyncClock real_async_clock() {
  return {[] { return std::chrono::steady_clock::now(); }, &sleep_on_timer};
}

}  // namespace incident_bot::bot
