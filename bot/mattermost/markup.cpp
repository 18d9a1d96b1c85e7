#include "bot/mattermost/markup.hpp"

#include "bot/mattermost/api.hpp"
#include "workflows/broadcasts.hpp"

#include <algorithm>
#include <cctype>

namespace incident_bot::bot {

namespace {

// Letters of any script, digits, and the punctuation Mattermost allows in usernames.
bool name_char(char c) {
  return static_cast<unsigned char>(c) >= 0x80 || std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
         c == '_';
}

// Calls replace(name) for each "@name" that starts a word; appends its answer, or the original.
template <class Replace>
std::string each_mention(std::string_view text, Replace replace) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool starts = text[i] == '@' && (i == 0 || !name_char(text[i - 1])) && text[std::max<std::size_t>(i, 1) - 1] != '<';
    if (!starts) {
      out += text[i++];
      continue;
    }
    std::size_t end = i + 1;
    while (end < text.size() && name_char(text[end])) ++end;
    // A name does not end with a dot: "ask @alice." mentions alice.
    while (end > i + 1 && text[end - 1] == '.') --end;
    const std::string_view name = text.substr(i + 1, end - i - 1);
    const std::optional<std::string> replaced = name.empty() ? std::nullopt : replace(name);
    out += replaced ? *replaced : std::string(text.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace

std::string mentions_as_ids(std::string_view text, const MentionIds& mentions,
                            const std::function<std::optional<std::string>(std::string_view name)>& id_of) {
  return each_mention(text, [&](std::string_view name) -> std::optional<std::string> {
    std::optional<std::string> id;
    if (const auto found = mentions.find(name); found != mentions.end()) id = found->second;
    else if (id_of) id = id_of(name);
    if (!id || id->empty()) return std::nullopt;
    return "<@" + *id + "|" + std::string(name) + ">";
  });
}

std::string mentions_as_names(std::string_view text,
                              const std::function<std::optional<std::string>(std::string_view id)>& name_of) {
  // Disarmed before names are written in, so a user named "all.hands" is still mentioned.
  return each_mention(markup::disarm_broadcasts(text), [&](std::string_view word) -> std::optional<std::string> {
    if (!is_mattermost_id(word)) return std::nullopt;
    const auto name = name_of(word);
    if (!name) return std::nullopt;
    return "@" + *name;
  });
}

std::vector<std::string> mentioned_ids(std::string_view text) {
  std::vector<std::string> ids;
  each_mention(text, [&](std::string_view word) -> std::optional<std::string> {
    if (is_mattermost_id(word) && std::find(ids.begin(), ids.end(), word) == ids.end()) ids.emplace_back(word);
    return std::nullopt;
  });
  return ids;
}

}  // namespace incident_bot::bot
