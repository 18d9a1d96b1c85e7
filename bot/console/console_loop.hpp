#pragma once
// The console with the scheduler: reminders print while the console waits for input.
#include "bot/console/console.hpp"
#include "bot/core/scheduler.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <iosfwd>

namespace incident_bot::bot {

// Sends what fell due while the bot was down, then runs `io` on this thread: `in` is read on a
// thread of its own that posts each line to `io`, so commands, sweeps and the store stay on this
// one. At the end of input the lines read are handled, `at_end` stops what else runs on `io`, and it returns 0.
int run_console(boost::asio::io_context& io, Console& console, Scheduler& scheduler, std::istream& in,
                std::ostream& out, std::function<void()> at_end = {});

}  // namespace incident_bot::bot
