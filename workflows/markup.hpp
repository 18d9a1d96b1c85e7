#pragma once
// Messages are composed in Slack mrkdwn, the richest markup the bot speaks; adapters convert.
#include "commands/vocabulary.hpp"

#include <string>
#include <string_view>

namespace incident_bot::markup {

// Escapes & < > so user text can never become a mention, a link or a broadcast.
std::string escape(std::string_view text);
// A mention the bot itself makes: <@U123>.
std::string mention(std::string_view user);
// "2026-11-23 14:05 UTC" — pure arithmetic, no clock.
std::string utc_time(Timestamp at);
// A time as Slack shows it in each reader's own zone: <!date^…|2026-11-23 14:05 UTC+00:00>.
// Converted for the console and Mattermost, the fallback remains: UTC with its offset written out.
std::string shown_time(Timestamp at);

}  // namespace incident_bot::markup
