#pragma once
// `incident-bot outbox list|retry|drop`: the operator's hands on the outbox, safe beside a running bot.
#include "bot/app/config.hpp"

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::bot {

struct OutboxCommand {
  std::string action;                // list, retry, drop
  bool failed_only = false;          // list --failed
  bool all_failed = false;           // retry --all-failed
  std::optional<std::int64_t> id;    // retry <id>, drop <id>
  std::string reason;                // drop <id> <reason…>
};

// Reads the words after `outbox`; an error names what is wrong, with the usage.
std::variant<OutboxCommand, std::string> parse_outbox_command(const std::vector<std::string>& words);
int run_outbox_command(const OutboxCommand& command, const Config& config, Timestamp now, std::ostream& out,
                       std::ostream& err);

inline constexpr const char* outbox_usage =
    "outbox list [--failed] | outbox retry <id|--all-failed> | outbox drop <id> <reason>";

}  // namespace incident_bot::bot
