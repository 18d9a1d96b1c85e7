// The status page verbs: publish [<status> <text> [impact:…] [components:…] | title <text> | approve], unpublish <reason>.
#include "commands/grammar.hpp"

#include <utility>

namespace incident_bot::commands::grammar {
namespace {

constexpr std::string_view status_list = "investigating, identified, monitoring or resolved";
constexpr std::string_view impact_list = "none, minor, major or critical";

// Splits "a,b , c" into its non-empty names, trimmed.
std::vector<std::string> component_names(std::string_view list) {
  std::vector<std::string> names;
  while (!list.empty()) {
    const auto comma = list.find(',');
    const std::string_view name = trim(list.substr(0, comma));
    if (!name.empty()) names.emplace_back(name);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return names;
}

// Reads the trailing impact: and components: options off the words; an error names a bad one.
std::optional<ParseError> take_options(std::vector<std::string_view>& words, Publish& publish) {
  while (!words.empty()) {
    const std::string_view word = words.back();
    if (starts_with_ignoring_case(word, "impact:")) {
      if (publish.impact) return usage_error("publish", "impact: is given twice");
      const std::string_view value = word.substr(7);
      publish.impact = impact_from(value);
      if (!publish.impact) return usage_error("publish", "impact " + quoted(value) + " is not " + std::string(impact_list));
    } else if (starts_with_ignoring_case(word, "components:")) {
      if (!publish.components.empty()) return usage_error("publish", "components: is given twice");
      publish.components = component_names(word.substr(11));
      if (publish.components.empty()) return usage_error("publish", "components: needs names, such as components:checkout,api");
    } else {
      return std::nullopt;
    }
    words.pop_back();
  }
  return std::nullopt;
}

CommandOrError parse_update(std::string_view status_word, std::string_view rest) {
  const auto status = public_status_from(status_word);
  if (!status)
    return usage_error("publish", "unknown public status " + quoted(status_word) + ", expected " +
                                      std::string(status_list) + ", title or approve");
  Publish publish;
  publish.status = *status;
  auto words = split_words(rest);
  if (auto error = take_options(words, publish)) return *error;
  if (words.empty()) return usage_error("publish", "missing the public text of the update");
  const std::string_view first = words.front(), last = words.back();
  const std::string_view text(first.data(), static_cast<std::size_t>(last.data() + last.size() - first.data()));
  if (auto error = too_long("publish", "public text", text)) return *error;
  publish.text = std::string(text);
  return publish;
}

}  // namespace

CommandOrError parse_publish(std::string_view arguments) {
  const auto [sub_verb, rest] = split_first_word(arguments);
  if (sub_verb.empty()) return PublishShow{};
  if (equals_ignoring_case(sub_verb, "title")) {
    auto title = required_text("publish", "public title", rest);
    if (auto* error = std::get_if<ParseError>(&title)) return std::move(*error);
    return PublishTitle{std::get<std::string>(std::move(title))};
  }
  if (equals_ignoring_case(sub_verb, "approve")) return without_arguments("publish", rest, PublishApprove{});
  if (equals_ignoring_case(sub_verb, "show")) return without_arguments("publish", rest, PublishShow{});
  return parse_update(sub_verb, rest);
}

CommandOrError parse_unpublish(std::string_view arguments) {
  auto reason = required_text("unpublish", "reason", arguments);
  if (auto* error = std::get_if<ParseError>(&reason)) return std::move(*error);
  return Unpublish{std::get<std::string>(std::move(reason))};
}

}  // namespace incident_bot::commands::grammar
