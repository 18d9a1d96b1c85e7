#pragma once
// The terminal adapter: one slash command per line in, replies and channel posts out as text.
#include "bot/core/dispatcher.hpp"
#include "store/store.hpp"

#include <functional>
#include <iosfwd>
#include <string>

namespace incident_bot::bot {

struct ConsoleOptions {
  UserId user = "operator";
  std::string channel = "general";
  bool echo = false;  // repeat each input line, so a piped session reads as a transcript
};

class Console {
 public:
  using Clock = std::function<Timestamp()>;
  Console(SQLite::Database& db, Dispatcher& dispatcher, ConsoleOptions options, Clock clock);

  // Reads until end of input; returns the process exit status.
  int run(std::istream& in, std::ostream& out);
  // One line: a slash command, `/as user`, `/in #channel`, a comment or nothing.
  void handle_line(const std::string& line, std::ostream& out);
  // Prints the console posts waiting in the outbox and marks them delivered: the console's one
  // delivery path, run after each line and each sweep so a transcript reads in order.
  void deliver_posts(std::ostream& out);

  const PlatformTraits& traits() const { return dispatcher_.platform(); }

 private:
  void print_post(std::ostream& out, const store::OutboxRow& row) const;

  SQLite::Database& db_;
  Dispatcher& dispatcher_;
  ConsoleOptions options_;
  Clock clock_;
};

}  // namespace incident_bot::bot
