#pragma once
// The bot never broadcasts: user text that reaches a chat loses its @channel, @here, @all and @everyone.
#include <string>
#include <string_view>

namespace incident_bot::markup {

// "@channel", "@here", "@all" and "@everyone", in any case, get a zero-width space after the "@" unless
// a letter or digit is glued on ("mail@here.com", "@allison" stay). Punctuation, brackets
// ("<@channel>", "[@here](…)"), '.', '-', ':' and other invisible characters do not protect a broadcast.
std::string disarm_broadcasts(std::string_view text);

}  // namespace incident_bot::markup
