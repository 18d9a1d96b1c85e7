#include "commands/grammar.hpp"

#include "commands/parse.hpp"

#include <charconv>
#include <limits>

namespace incident_bot::commands::grammar {
namespace {

constexpr std::string_view blanks = " \t\r\n";
constexpr std::size_t longest_quote = 40;  // bytes of user text shown inside an error message

bool is_ascii_letter_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_continuation_byte(unsigned char byte) { return (byte & 0xC0) == 0x80; }

// The length of the UTF-8 sequence starting at `position`, or 0 when it is malformed
// (overlong forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence_length(std::string_view text, std::size_t position) {
  const auto byte_at = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte_at(position);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;   // overlong
    if (lead == 0xED) second_high = 0x9F;  // UTF-16 surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;   // overlong
    if (lead == 0xF4) second_high = 0x8F;  // past U+10FFFF
  } else {
    return 0;
  }
  if (position + length > text.size()) return 0;
  const unsigned char second = byte_at(position + 1);
  if (second < second_low || second > second_high) return 0;
  for (std::size_t i = 2; i < length; ++i)
    if (!is_continuation_byte(byte_at(position + i))) return 0;
  return length;
}

bool is_rejected_control(unsigned char byte) {
  return (byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F;
}

std::string hex_byte(unsigned char byte) {
  constexpr std::string_view digits = "0123456789ABCDEF";
  return {'0', 'x', digits[byte >> 4], digits[byte & 0x0F]};
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::optional<std::string> unreadable_reason(std::string_view raw) {
  std::size_t position = 0;
  while (position < raw.size()) {
    const auto byte = static_cast<unsigned char>(raw[position]);
    if (is_rejected_control(byte)) return "text contains the control character " + hex_byte(byte);
    const std::size_t length = utf8_sequence_length(raw, position);
    if (length == 0) return "text is not valid UTF-8";
    position += length;
  }
  return std::nullopt;
}

std::string flatten_whitespace(std::string_view raw) {
  std::string flat;
  flat.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;  // \r\n is one break
    flat += (c == '\t' || c == '\n' || c == '\r') ? ' ' : c;
  }
  return std::string(trim(flat));
}

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(blanks);
  return text.substr(first, last - first + 1);
}

std::string lowercase(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = lower(c);
  return lowered;
}

bool equals_ignoring_case(std::string_view left, std::string_view right) {
  if (left.size() != right.size()) return false;
  for (std::size_t i = 0; i < left.size(); ++i)
    if (lower(left[i]) != lower(right[i])) return false;
  return true;
}

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

FirstWord split_first_word(std::string_view text) {
  text = trim(text);
  const auto end_of_word = text.find_first_of(blanks);
  if (end_of_word == std::string_view::npos) return {text, {}};
  return {text.substr(0, end_of_word), trim(text.substr(end_of_word))};
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  for (auto next = split_first_word(text); !next.word.empty(); next = split_first_word(next.rest))
    words.push_back(next.word);
  return words;
}

std::string quoted(std::string_view text) {
  if (text.size() <= longest_quote) return "'" + std::string(text) + "'";
  std::size_t cut = longest_quote;
  while (cut > 0 && is_continuation_byte(static_cast<unsigned char>(text[cut]))) --cut;
  return "'" + std::string(text.substr(0, cut)) + "…'";
}

std::optional<UserId> user_from(std::string_view word) {
  if (word.starts_with("<@") && word.ends_with(">")) {
    const auto inside = word.substr(2, word.size() - 3);
    const auto id = inside.substr(0, inside.find('|'));
    if (id.empty()) return std::nullopt;
    for (const char c : id)
      if (!is_ascii_letter_or_digit(c)) return std::nullopt;
    return UserId(id);
  }
  if (word.starts_with("@") && word.size() > 1) {
    const auto name = word.substr(1);
    for (const char c : name) {
      // Letters of any script, digits, and the punctuation chat platforms allow in names.
      const bool allowed = static_cast<unsigned char>(c) >= 0x80 || is_ascii_letter_or_digit(c) || c == '.' ||
                           c == '-' || c == '_';
      if (!allowed) return std::nullopt;
    }
    return UserId(name);
  }
  return std::nullopt;
}

bool looks_like_user(std::string_view word) { return word.starts_with("@") || word.starts_with("<@"); }

bool looks_like_incident_reference(std::string_view word) { return starts_with_ignoring_case(word, "inc-"); }

std::variant<std::int64_t, std::string> incident_number_from(std::string_view word) {
  const auto digits = word.substr(4);
  std::int64_t number = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (error == std::errc::result_out_of_range && end == digits.data() + digits.size())
    return "incident reference " + quoted(word) + " is past the largest incident number, INC-" +
           std::to_string(std::numeric_limits<std::int64_t>::max());
  if (digits.empty() || error != std::errc{} || end != digits.data() + digits.size())
    return "incident reference " + quoted(word) + " is not INC- and a number, such as INC-12";
  if (number <= 0) return "incident reference " + quoted(word) + " must be a positive number";
  return number;
}

std::string every_verb_usage() {
  static const std::string usage = [] {
    std::string text = "[INC-N] <verb> [arguments], where <verb> is one of:";
    bool first = true;
    for (const auto& verb : verbs()) {
      text += first ? " " : ", ";
      text += verb.verb;
      first = false;
    }
    return text;
  }();
  return usage;
}

ParseError usage_error(std::string_view verb, std::string message) {
  const VerbHelp* help = find_verb(verb);
  return {std::move(message), help ? std::string(help->usage) : every_verb_usage()};
}

ParseError general_error(std::string message) { return {std::move(message), every_verb_usage()}; }

ParseError duration_error(std::string_view verb, std::string_view subject, std::string_view word,
                          std::string_view examples) {
  const std::string named = std::string(subject) + quoted(word);
  if (is_too_long_duration(word))
    return usage_error(verb, named + " is longer than " + std::string(longest_duration_text) + ", the longest duration accepted");
  return usage_error(verb, named + " is not a duration such as " + std::string(examples));
}

std::optional<ParseError> too_long(std::string_view verb, std::string_view field, std::string_view value) {
  if (value.size() <= max_field_length) return std::nullopt;
  return usage_error(verb, std::string(field) + " is too long: " + std::to_string(value.size()) +
                               " bytes, at most " + std::to_string(max_field_length));
}

std::variant<std::string, ParseError> required_text(std::string_view verb, std::string_view field,
                                                    std::string_view arguments) {
  const auto text = trim(arguments);
  if (text.empty()) return usage_error(verb, "missing " + std::string(field));
  if (auto error = too_long(verb, field, text)) return *error;
  return std::string(text);
}

CommandOrError without_arguments(std::string_view verb, std::string_view arguments, Command command) {
  if (trim(arguments).empty()) return command;
  const auto first = split_first_word(arguments).word;
  // A common slip: the reference typed after the verb instead of before it.
  if (looks_like_incident_reference(first))
    return usage_error(verb, "write the incident before the verb: " + std::string(first) + " " +
                                 std::string(verb));
  return usage_error(verb, std::string(verb) + " takes no arguments, got " + quoted(trim(arguments)));
}

std::variant<std::string, ParseError> layer_name(std::string_view verb, std::string_view value) {
  const auto words = split_words(value);
  if (words.empty()) return usage_error(verb, "missing layer");
  if (auto error = too_long(verb, "layer", trim(value))) return *error;
  if (words.size() > 1) return usage_error(verb, "a layer is one word, got " + quoted(trim(value)));
  return lowercase(words.front());
}

}  // namespace incident_bot::commands::grammar
