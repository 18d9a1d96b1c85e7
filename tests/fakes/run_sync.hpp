#pragma once
// Runs a coroutine to completion on a test's io_context and returns its result (or rethrows).
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include <utility>

namespace incident_bot::fakes {

template <class T>
T run_sync(boost::asio::io_context& io, boost::asio::awaitable<T> work) {
  auto result = boost::asio::co_spawn(io, std::move(work), boost::asio::use_future);
  io.restart();
  io.run();
  return result.get();
}

}  // namespace incident_bot::fakes
