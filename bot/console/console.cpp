#include "bot/console/console.hpp"

#include "store/store.hpp"

#include <SQLiteCpp/Transaction.h>

#include <istream>
#include <ostream>

namespace incident_bot::bot {

namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

// Splits "/word rest" into word and rest.
std::pair<std::string_view, std::string_view> slash_word(std::string_view line) {
  const auto space = line.find(' ');
  const std::string_view word = line.substr(1, space == std::string_view::npos ? std::string_view::npos : space - 1);
  const std::string_view rest = space == std::string_view::npos ? std::string_view{} : trim(line.substr(space));
  return {word, rest};
}

void print_indented(std::ostream& out, std::string_view text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find('\n', start);
    out << "  " << text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start) << '\n';
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
}

}  // namespace

Console::Console(SQLite::Database& db, Dispatcher& dispatcher, ConsoleOptions options, Clock clock)
    : db_(db), dispatcher_(dispatcher), options_(std::move(options)), clock_(std::move(clock)) {}

int Console::run(std::istream& in, std::ostream& out) {
  std::string line;
  while (std::getline(in, line)) handle_line(line, out);
  out.flush();
  return 0;
}

void Console::handle_line(const std::string& raw, std::ostream& out) {
  const std::string_view line = trim(raw);
  if (line.empty() || line.front() == '#') return;
  if (options_.echo) out << options_.user << " in #" << options_.channel << "> " << line << '\n';
  if (line.front() != '/') {
    out << "Type a slash command, e.g. /incident help — or /as <user>, /in #<channel>.\n";
    return;
  }
  const auto [word, rest] = slash_word(line);
  if (word == "as") {
    if (rest.empty()) { out << "usage: /as <user>\n"; return; }
    options_.user = std::string(rest.front() == '@' ? rest.substr(1) : rest);
    out << "(you are now @" << options_.user << ")\n";
    return;
  }
  if (word == "in") {
    if (rest.empty()) { out << "usage: /in #<channel>\n"; return; }
    options_.channel = std::string(rest.front() == '#' ? rest.substr(1) : rest);
    out << "(you are now in #" << options_.channel << ")\n";
    return;
  }
  const Invocation invocation{options_.channel, options_.user, std::string(rest), {}};
  const Reply reply = dispatcher_.handle(invocation, clock_());
  if (reply.visibility == workflows::Visibility::ephemeral) out << "(only you can see this)\n";
  out << reply.text << '\n';
  deliver_posts(out);
}

void Console::print_post(std::ostream& out, const store::OutboxRow& row) const {
  out << "── #" << row.channel << " ──\n";
  print_indented(out, row.payload);
}

void Console::deliver_posts(std::ostream& out) {
  const Timestamp now = clock_();
  for (const auto& post : store::pending_posts(db_, "console", now, 100)) {
    print_post(out, post);
    SQLite::Transaction transaction(db_);
    store::mark_delivered(db_, post.id, "console-" + std::to_string(post.id), now);
    transaction.commit();
  }
}

}  // namespace incident_bot::bot
