#pragma once
// Every Slack Web API error the bot can meet, and what the caller does about it: one table.
#include <span>
#include <string_view>

namespace incident_bot::bot {

enum class Disposition {
  ok,            // the call succeeded
  retry,         // transient: try again after a backoff
  rate_limited,  // wait Retry-After for this method, then try again
  fatal_auth,    // the token is bad: stop calling Slack until it is replaced
  give_up,       // log once; the same call can never succeed
  already_done,  // the wanted state already holds (already_in_channel, already_pinned): a success
  rename,        // conversations.create name_taken: the caller picks another name
  join_channel,  // not_in_channel: the bot joins the channel (conversations.join), then retries
  post_new,      // chat.update cannot edit that message: post a new one instead
};

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

std::string_view to_string(Disposition disposition);

}  // namespace incident_bot::bot
