#pragma once
// Every Slack Web API error the bot can meet, and what the caller does about it: one table.
#include "bot/net/web_api.hpp"

#include <span>
#include <string_view>

namespace incident_bot::bot {



struct SlackErrorRule {
  std::string_view error;   // Slack's `error` string
  std::string_view method;  // empty: any method; else this rule wins for that method
  Disposition disposition;
  std::string_view why;     // one line for the reader of the table
};

// The table itself, in the order it is written.
std::span<const SlackErrorRule> slack_error_rules();

// The rule for (method, error): a method-specific row first, then the any-method row; an
// error missing from the table is give_up.
Disposition classify_slack_error(std::string_view method, std::string_view error);

// True when the error is in the table (for `method` or for any method).
bool is_known_slack_error(std::string_view method, std::string_view error);

}  // namespace incident_bot::bot
