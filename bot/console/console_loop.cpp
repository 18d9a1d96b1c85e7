#include "bot/console/console_loop.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>

#include <istream>
#include <ostream>
#include <string>
#include <thread>

namespace incident_bot::bot {

int run_console(boost::asio::io_context& io, Console& console, Scheduler& scheduler, std::istream& in,
                std::ostream& out, std::function<void()> at_end) {
  scheduler.on_swept([&] {
    console.deliver_posts(out);
    out.flush();
  });
  // What fell due while the bot was down goes out once, before the first line is read.
  scheduler.sweep();
  console.deliver_posts(out);
  out.flush();
  scheduler.rearm();

  auto work = boost::asio::make_work_guard(io);
  std::thread reader([&] {
    std::string line;
    while (std::getline(in, line)) {
      boost::asio::post(io, [&, line] {
        console.handle_line(line, out);
        scheduler.rearm();
        out.flush();
      });
    }
    // Posted after every line, so each is handled before the loop ends.
    boost::asio::post(io, [&] {
      scheduler.stop();
      if (at_end) at_end();
      work.reset();
    });
  });
  try {
    io.run();
  } catch (...) {
    // The reader may be blocked on a terminal that never ends; it must not outlive the process' error.
    reader.detach();
    throw;
  }
  reader.join();
  out.flush();
  return 0;
}

}  // namespace incident_bot::bot
