#include "workflows/broadcasts.hpp"

#include <array>
#include <cctype>

namespace incident_bot::markup {

namespace {

constexpr std::array<std::string_view, 4> broadcast_words{"channel", "here", "everyone", "all"};
constexpr std::string_view zero_width_space = "\u200B";

// Only an ASCII letter or digit glues a word on; '_' does not ("_@here_" is italics on Slack).
bool glues(char c) { return std::isalnum(static_cast<unsigned char>(c)); }

bool starts_with_word(std::string_view text, std::string_view word) {
  if (text.size() < word.size()) return false;
  for (std::size_t i = 0; i < word.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != word[i]) return false;
  return text.size() == word.size() || !glues(text[word.size()]);
}

bool is_broadcast_at(std::string_view text, std::size_t at) {
  if (at > 0 && glues(text[at - 1])) return false;
  const std::string_view after = text.substr(at + 1);
  for (const auto word : broadcast_words)
    if (starts_with_word(after, word)) return true;
  return false;
}

}  // namespace

std::string disarm_broadcasts(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    out += text[i];
    if (text[i] == '@' && is_broadcast_at(text, i)) out += zero_width_space;
  }
  return out;
}

}  // namespace incident_bot::markup
