#pragma once
// Mentions between Mattermost's words and the store's ids. People write "@alice" and Mattermost
// sends the ids beside the text (user_mentions / user_mentions_ids); the store keeps the ids, so a
// role survives a rename, and every mention the bot writes back reads "@alice" again.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::bot {

using MentionIds = std::map<std::string, std::string, std::less<>>;  // username -> user id

// "@alice" -> "<@id|alice>" for each name with a known id (the command's mentions first, then
// id_of); other words, and names with no id, are left as they are.
std::string mentions_as_ids(std::string_view text, const MentionIds& mentions,
                            const std::function<std::optional<std::string>(std::string_view name)>& id_of);

// "@<26-character id>" -> "@alice" for each id name_of knows; the rest is left as it is. The bot
// never broadcasts, so "@channel", "@all" and "@here" in every spelling (markup::disarm_broadcasts)
// get a zero-width space after the "@" and notify no one: every text the bot sends Mattermost comes here.
std::string mentions_as_names(std::string_view text,
                              const std::function<std::optional<std::string>(std::string_view id)>& name_of);

// The ids written "@<id>" in a text, each once, in order.
std::vector<std::string> mentioned_ids(std::string_view text);

}  // namespace incident_bot::bot
