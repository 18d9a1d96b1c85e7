#pragma once
// The terminal adapter: one slash command per line in, replies and channel posts out as text.
#include "bot/core/delivery.hpp"
#include "bot/core/dispatcher.hpp"

#include <functional>
#include <iosfwd>
#include <string>

namespace incident_bot::bot {

struct ConsoleOptions {
  UserId user = "operator";
  std::string channel = "general";
  bool echo = false;  // repeat each input line, so a piped session reads as a transcript
};

class Console final : public Chat {
 public:
  using Clock = std::function<Timestamp()>;
  Console(SQLite::Database& db, Dispatcher& dispatcher, ConsoleOptions options, Clock clock);

  // Reads until end of input; returns the process exit status.
  int run(std::istream& in, std::ostream& out);
  // One line: a slash command, `/as user`, `/in #channel`, a comment or nothing.
  void handle_line(const std::string& line, std::ostream& out);
  // Prints the console posts waiting in the outbox and marks them delivered.
  void deliver_posts(std::ostream& out);

  const PlatformTraits& traits() const override { return dispatcher_.platform(); }
  // Prints one post on the stream of the last run, handle_line or deliver_posts.
  boost::asio::awaitable<Delivery> deliver(const store::OutboxRow& row) override;

 private:
  void print_post(std::ostream& out, const store::OutboxRow& row) const;

  SQLite::Database& db_;
  Dispatcher& dispatcher_;
  ConsoleOptions options_;
  Clock clock_;
  std::ostream* out_ = nullptr;
};

}  // namespace incident_bot::bot
