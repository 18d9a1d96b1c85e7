// The verbs that move an incident through its life: declare, decline, resolve, close, reopen.
#include "commands/grammar.hpp"
#include "commands/parse.hpp"

#include <algorithm>
#include <utility>

namespace incident_bot::commands::grammar {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "sev" and digits: meant as a severity even when out of range, so "sev5" is an error, not title.
bool looks_like_severity(std::string_view word) {
  return word.size() > 3 && starts_with_ignoring_case(word, "sev") &&
         std::all_of(word.begin() + 3, word.end(), is_digit);
}

// Reads the options at the end of `words` into `declare`; returns how many words the title keeps.
std::variant<std::size_t, ParseError> read_trailing_options(const std::vector<std::string_view>& words,
                                                             Declare& declare) {
  std::size_t title_words = words.size();
  while (title_words > 0) {
    const std::string_view word = words[title_words - 1];
    // "layer: delivery" with a space is the same option as "layer:delivery".
    const bool spaced_layer = title_words >= 2 && equals_ignoring_case(words[title_words - 2], "layer:");
    if (spaced_layer || starts_with_ignoring_case(word, "layer:")) {
      if (declare.layer) return usage_error("declare", "layer given twice");
      const std::string_view name = spaced_layer ? word : word.substr(6);
      if (name.empty()) return usage_error("declare", "layer: needs a name, such as layer:delivery");
      auto layer = layer_name("declare", name);
      if (auto* error = std::get_if<ParseError>(&layer)) return std::move(*error);
      declare.layer = std::get<std::string>(std::move(layer));
      title_words -= spaced_layer ? 2 : 1;
    } else if (looks_like_severity(word)) {
      const auto severity = severity_from(word);
      if (!severity) return usage_error("declare", "unknown severity " + quoted(word) + ", expected sev1..sev4");
      if (declare.severity) return usage_error("declare", "severity given twice");
      declare.severity = severity;
      --title_words;
    } else if (equals_ignoring_case(word, "private")) {
      if (declare.is_private) return usage_error("declare", "private given twice");
      declare.is_private = true;
      --title_words;
    } else {
      break;
    }
  }
  return title_words;
}

bool is_force_flag(std::string_view word) {
  // Phones and some chat clients turn "--" into an em dash as it is typed.
  return equals_ignoring_case(word, "--force") || equals_ignoring_case(word, "—force");
}

}  // namespace

CommandOrError parse_declare(std::string_view arguments) {
  const auto words = split_words(arguments);
  Declare declare;
  auto title_words = read_trailing_options(words, declare);
  if (auto* error = std::get_if<ParseError>(&title_words)) return std::move(*error);
  const std::size_t kept = std::get<std::size_t>(title_words);
  if (kept == 0) return usage_error("declare", "missing title");

  // The title is the original text up to its last word, so inner spacing is kept as typed.
  const std::string_view last_word = words[kept - 1];
  const std::string_view title(words.front().data(),
                               static_cast<std::size_t>(last_word.data() + last_word.size() - words.front().data()));
  if (auto error = too_long("declare", "title", title)) return *error;
  declare.title = std::string(title);
  return declare;
}

CommandOrError parse_decline(std::string_view arguments) {
  auto reason = required_text("decline", "reason", arguments);
  if (auto* error = std::get_if<ParseError>(&reason)) return std::move(*error);
  return Decline{std::get<std::string>(std::move(reason))};
}

CommandOrError parse_resolve(std::string_view arguments) {
  const auto summary = trim(arguments);
  if (auto error = too_long("resolve", "summary", summary)) return *error;
  return Resolve{std::string(summary)};
}

CommandOrError parse_close(std::string_view arguments) {
  const auto [first, rest] = split_first_word(arguments);
  if (first.empty()) return Close{};
  if (!is_force_flag(first)) {
    if (looks_like_incident_reference(first)) return without_arguments("close", arguments, Close{});
    return usage_error("close", "close takes only --force <reason>, got " + quoted(trim(arguments)));
  }
  if (rest.empty()) return usage_error("close", "close --force needs a reason");
  if (auto error = too_long("close", "reason", rest)) return *error;
  return Close{true, std::string(rest)};
}

CommandOrError parse_reopen(std::string_view arguments) { return without_arguments("reopen", arguments, Reopen{}); }

}  // namespace incident_bot::commands::grammar

namespace incident_bot::commands {

std::variant<Declare, DeclareFieldError> declare_from_fields(const DeclareFields& fields) {
  using namespace grammar;
  const auto refused = [](DeclareField field, std::string message) {
    return DeclareFieldError{field, usage_error("declare", std::move(message))};
  };
  // One field's text as the grammar reads typed text: readable, one line, within the length.
  const auto read = [&](DeclareField field, std::string_view name, std::string_view raw,
                        std::string& value) -> std::optional<DeclareFieldError> {
    if (auto reason = unreadable_reason(raw)) return refused(field, std::string(name) + ": " + *reason);
    value = flatten_whitespace(raw);
    if (auto error = too_long("declare", name, value)) return DeclareFieldError{field, std::move(*error)};
    return std::nullopt;
  };
  Declare declare;
  std::string severity, layer;
  if (auto error = read(DeclareField::title, "title", fields.title, declare.title)) return std::move(*error);
  if (declare.title.empty()) return refused(DeclareField::title, "missing title");
  if (auto error = read(DeclareField::severity, "severity", fields.severity, severity)) return std::move(*error);
  if (!severity.empty()) {
    declare.severity = severity_from(severity);
    if (!declare.severity) return refused(DeclareField::severity, "unknown severity " + quoted(severity) + ", expected sev1..sev4");
  }
  if (auto error = read(DeclareField::layer, "layer", fields.layer, layer)) return std::move(*error);
  if (!layer.empty()) {
    auto name = layer_name("declare", layer);
    if (auto* error = std::get_if<ParseError>(&name)) return DeclareFieldError{DeclareField::layer, std::move(*error)};
    declare.layer = std::get<std::string>(std::move(name));
  }
  if (auto error = read(DeclareField::symptom, "symptom", fields.symptom, declare.symptom)) return std::move(*error);
  declare.is_private = fields.is_private;
  return declare;
}

}  // namespace incident_bot::commands
