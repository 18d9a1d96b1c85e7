#include "bot/app/outbox_command.hpp"

#include "store/store.hpp"

#include <charconv>
#include <ostream>
#include <variant>

namespace incident_bot::bot {

namespace {

std::optional<std::int64_t> row_id(const std::string& word) {
  std::int64_t id = 0;
  const auto [end, error] = std::from_chars(word.data(), word.data() + word.size(), id);
  if (error != std::errc{} || end != word.data() + word.size() || id <= 0) return std::nullopt;
  return id;
}

std::string age(Seconds seconds) {
  if (seconds < 120) return std::to_string(seconds) + "s";
  if (seconds < 2 * 3600) return std::to_string(seconds / 60) + "m";
  if (seconds < 2 * 86400) return std::to_string(seconds / 3600) + "h";
  return std::to_string(seconds / 86400) + "d";
}

// One line a row: tabs between the fields, the error last since it may hold spaces.
void print_row(std::ostream& out, const store::OutboxListing& listing, Timestamp now) {
  const auto& row = listing.row;
  out << row.id << '\t' << row.platform << '\t' << row.channel << '\t' << workflows::to_string(row.kind) << '\t'
      << (row.incident ? incident_id(row.incident) : std::string("-")) << '\t' << (listing.failed ? "failed" : "waiting")
      << '\t' << row.attempts << '\t' << age(std::max<Seconds>(0, now - row.created_at)) << '\t'
      << (row.last_error.empty() ? "-" : row.last_error) << '\n';
}

}  // namespace

std::variant<OutboxCommand, std::string> parse_outbox_command(const std::vector<std::string>& words) {
  const std::string usage = std::string("usage: incident-bot ") + outbox_usage;
  if (words.empty()) return "outbox needs list, retry or drop; " + usage;
  OutboxCommand command;
  command.action = words[0];
  if (command.action == "list") {
    for (std::size_t i = 1; i < words.size(); ++i) {
      if (words[i] != "--failed") return "outbox list: unexpected '" + words[i] + "'; " + usage;
      command.failed_only = true;
    }
    return command;
  }
  if (command.action == "retry") {
    if (words.size() != 2) return "outbox retry needs one row id or --all-failed; " + usage;
    if (words[1] == "--all-failed") command.all_failed = true;
    else if (!(command.id = row_id(words[1]))) return "outbox retry: '" + words[1] + "' is not a row id; " + usage;
    return command;
  }
  if (command.action == "drop") {
    if (words.size() < 3) return "outbox drop needs a row id and a reason; " + usage;
    if (!(command.id = row_id(words[1]))) return "outbox drop: '" + words[1] + "' is not a row id; " + usage;
    for (std::size_t i = 2; i < words.size(); ++i) command.reason += (i > 2 ? " " : "") + words[i];
    return command;
  }
  return "outbox: unknown action '" + command.action + "'; " + usage;
}

int run_outbox_command(const OutboxCommand& command, const Config& config, Timestamp now, std::ostream& out,
                       std::ostream& err) {
  auto db = store::open(config.store.path);
  if (command.action == "list") {
    const auto rows = store::undelivered_posts(db, command.failed_only, 1000);
    out << "id\tchat\tchannel\tkind\tincident\tstate\tattempts\tage\tlast error\n";
    for (const auto& listing : rows) print_row(out, listing, now);
    if (rows.empty()) out << (command.failed_only ? "(no failed posts)\n" : "(every post is delivered)\n");
    return 0;
  }
  if (command.action == "retry") {
    const int reopened = store::retry_failed(db, command.all_failed ? std::nullopt : command.id, now);
    if (reopened == 0 && !command.all_failed) {
      err << "outbox retry: no failed post has id " << *command.id << '\n';
      return 1;
    }
    out << reopened << (reopened == 1 ? " post is" : " posts are") << " due again\n";
    return 0;
  }
  if (!store::drop_post(db, *command.id, command.reason, now)) {
    err << "outbox drop: no waiting post has id " << *command.id << '\n';
    return 1;
  }
  out << "post " << *command.id << " dropped: " << command.reason << '\n';
  return 0;
}

}  // namespace incident_bot::bot
