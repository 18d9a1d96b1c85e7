// The repeat family: an incident like an earlier one, and the late updates a postmortem counts.
#include "workflows/markup.hpp"
#include "workflows/postmortem.hpp"

#include <algorithm>
#include <iterator>

namespace incident_bot::workflows {

namespace {

// Words too common in incident titles to say two incidents are alike.
constexpr std::string_view stop_words[]{
    "the", "and", "for", "but", "not", "nor", "with", "without", "from", "into", "onto", "after", "before",
    "during", "since", "until", "over", "under", "about", "again", "all", "any", "some", "its", "our",
    "their", "this", "that", "these", "those", "was", "were", "are", "is", "been", "being", "has", "have",
    "had", "does", "did", "doing", "can", "cannot", "could", "will", "would", "should", "now", "then",
    "than", "too", "very", "just", "only", "off", "out", "via", "per", "incident", "issue", "problem",
    "still", "when",
    // words every incident title uses: they describe trouble, not which trouble
    "down", "broken", "fail", "fails", "failing", "failed", "failure", "error", "errors", "outage", "working",
    "issues", "problems"};

bool is_word_byte(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

bool is_stop_word(std::string_view word) {
  return std::find(std::begin(stop_words), std::end(stop_words), word) != std::end(stop_words);
}

bool all_digits(std::string_view word) {
  return std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

}  // namespace

std::vector<std::string> significant_words(std::string_view title) {
  std::vector<std::string> words;
  std::string word;
  const auto finish = [&] {
    if (word.size() >= 3 && !is_stop_word(word) && !all_digits(word) &&
        std::find(words.begin(), words.end(), word) == words.end())
      words.push_back(word);
    word.clear();
  };
  const std::string lower = lowercase(title);
  for (std::size_t i = 0; i < lower.size(); ++i) {
    const auto byte = static_cast<unsigned char>(lower[i]);
    const auto next = i + 1 < lower.size() ? static_cast<unsigned char>(lower[i + 1]) : 0;
    // Dashes, quotes and bullets (U+2000–U+206F) and Latin-1 punctuation (U+00A0–U+00BF) separate words.
    if (byte == 0xE2 && (next == 0x80 || next == 0x81)) {
      finish();
      i += 2;
    } else if (byte == 0xC2 && next >= 0xA0) {
      finish();
      i += 1;
    } else if (is_word_byte(byte)) {
      word += lower[i];
    } else {
      finish();
    }
  }
  finish();
  return words;
}

std::vector<FamilyMatch> same_family(std::int64_t number, std::string_view title, std::string_view layer,
                                     const std::vector<PastIncident>& earlier) {
  std::vector<FamilyMatch> matches;
  if (layer.empty()) return matches;
  const auto words = significant_words(title);
  for (const auto& past : earlier) {
    if (past.number >= number || lowercase(past.layer) != lowercase(layer)) continue;
    const auto past_words = significant_words(past.title);
    FamilyMatch match{past.number, past.title, past.system_change, {}};
    for (const auto& word : words)
      if (std::find(past_words.begin(), past_words.end(), word) != past_words.end()) match.shared_words.push_back(word);
    const std::size_t shorter = std::min(words.size(), past_words.size());
    const std::size_t shared = match.shared_words.size();
    if (shared >= 2 || (shared == 1 && 2 * shared >= shorter)) matches.push_back(std::move(match));
  }
  std::stable_sort(matches.begin(), matches.end(), [](const FamilyMatch& left, const FamilyMatch& right) {
    if (left.shared_words.size() != right.shared_words.size())
      return left.shared_words.size() > right.shared_words.size();
    return left.number > right.number;
  });
  if (matches.size() > 3) matches.resize(3);
  return matches;
}

std::string family_layer(const Incident& incident, const Postmortem* postmortem) {
  if (postmortem) {
    if (auto causal = postmortem->section(PostmortemField::causal_layer); !causal.empty()) return causal;
  }
  return incident.layer;
}

std::string family_line(const FamilyMatch& match) {
  return "Same family as " + incident_id(match.number) + " (" + markup::escape(match.title) + ") — " +
         (match.system_change.empty() ? "its postmortem recorded no system change."
                                      : "its fix was: " + markup::escape(match.system_change));
}

int late_updates(const Incident& incident, const std::vector<TimelineEntry>& timeline, Seconds cadence) {
  if (cadence <= 0) return 0;
  int late = 0;
  bool update_due = true;  // no update is due while resolved and monitoring
  Timestamp since = incident.declared_at;
  for (const auto& entry : timeline) {
    const bool overdue = update_due && entry.at - since > cadence;
    if (entry.kind == "update") {
      if (overdue) ++late;
      since = entry.at;
    } else if (entry.kind == "resolve") {
      if (overdue) ++late;  // the update that never came before the resolution
      update_due = false;
    } else if (entry.kind == "reopen") {
      update_due = true;
      since = entry.at;
    }
  }
  return late;
}

}  // namespace incident_bot::workflows
