// The postmortem verbs: postmortem [set <field> <text> | done], action <text> @owner [due <date>].
#include "commands/grammar.hpp"

#include <array>
#include <utility>

namespace incident_bot::commands {
namespace {

struct FieldName {
  std::string_view name;
  PostmortemField field;
};
// The canonical name first for each field; the others are aliases people type.
constexpr std::array<FieldName, 17> field_names{{
    {"summary", PostmortemField::summary},
    {"what-happened", PostmortemField::what_happened},
    {"happened", PostmortemField::what_happened},
    {"cost", PostmortemField::cost},
    {"impact", PostmortemField::cost},
    {"detection-gap", PostmortemField::detection_gap},
    {"detection", PostmortemField::detection_gap},
    {"causal-layer", PostmortemField::causal_layer},
    {"cause", PostmortemField::causal_layer},
    {"evidence", PostmortemField::evidence},
    {"system-change", PostmortemField::system_change},
    {"fix", PostmortemField::system_change},
    {"response", PostmortemField::response},
    {"public-summary", PostmortemField::public_summary},
    {"what_happened", PostmortemField::what_happened},
    {"system_change", PostmortemField::system_change},
    {"public_summary", PostmortemField::public_summary},
}};

}  // namespace

std::string_view to_string(PostmortemField field) {
  for (const auto& entry : field_names)
    if (entry.field == field) return entry.name;
  return "unknown";
}

std::optional<PostmortemField> postmortem_field_from(std::string_view word) {
  for (const auto& entry : field_names)
    if (grammar::equals_ignoring_case(word, entry.name)) return entry.field;
  return std::nullopt;
}

namespace grammar {
namespace {

constexpr std::string_view field_list =
    "summary, what-happened, cost, detection-gap, causal-layer, evidence, system-change, response or public-summary";

bool all_digits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (c < '0' || c > '9') return false;
  return true;
}

int number_in(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm): pure arithmetic, no clock.
std::int64_t days_from_civil(std::int64_t year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const std::int64_t year_of_era = year - era * 400;
  const std::int64_t day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const std::int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + day_of_era - 719468;
}

int days_in_month(int year, int month) {
  constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : days[static_cast<std::size_t>(month - 1)];
}

CommandOrError parse_set(std::string_view arguments) {
  const auto [field_word, text] = split_first_word(arguments);
  if (field_word.empty()) return usage_error("postmortem", std::string("missing field: ") + std::string(field_list));
  const auto field = postmortem_field_from(field_word);
  if (!field) return usage_error("postmortem", "unknown field " + quoted(field_word) + ", expected " + std::string(field_list));
  auto value = required_text("postmortem", std::string(to_string(*field)) + " text", text);
  if (auto* error = std::get_if<ParseError>(&value)) return std::move(*error);
  return PostmortemSet{*field, std::get<std::string>(std::move(value))};
}

}  // namespace

std::optional<Timestamp> date_from(std::string_view word) {
  if (word.size() != 10 || word[4] != '-' || word[7] != '-') return std::nullopt;
  const auto year_digits = word.substr(0, 4), month_digits = word.substr(5, 2), day_digits = word.substr(8, 2);
  if (!all_digits(year_digits) || !all_digits(month_digits) || !all_digits(day_digits)) return std::nullopt;
  const int year = number_in(year_digits), month = number_in(month_digits), day = number_in(day_digits);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  return days_from_civil(year, month, day) * 86400;
}

CommandOrError parse_postmortem(std::string_view arguments) {
  const auto [sub_verb, rest] = split_first_word(arguments);
  if (sub_verb.empty()) return PostmortemShow{};
  if (equals_ignoring_case(sub_verb, "set")) return parse_set(rest);
  if (equals_ignoring_case(sub_verb, "done")) {
    if (!rest.empty()) return usage_error("postmortem", "postmortem done takes no arguments, got " + quoted(rest));
    return PostmortemDone{};
  }
  if (equals_ignoring_case(sub_verb, "show")) return without_arguments("postmortem", rest, PostmortemShow{});
  if (postmortem_field_from(sub_verb))
    return usage_error("postmortem", "write set before the field, such as postmortem set " + std::string(sub_verb) + " …");
  return usage_error("postmortem", "unknown postmortem command " + quoted(sub_verb) + ", expected set or done");
}

CommandOrError parse_action(std::string_view arguments) {
  auto words = split_words(arguments);
  AddAction action;
  if (words.size() >= 2 && equals_ignoring_case(words[words.size() - 2], "due")) {
    action.due = date_from(words.back());
    if (!action.due) return usage_error("action", "due date " + quoted(words.back()) + " is not a date written YYYY-MM-DD");
    words.resize(words.size() - 2);
  } else if (!words.empty() && equals_ignoring_case(words.back(), "due")) {
    return usage_error("action", "due needs a date written YYYY-MM-DD");
  }
  if (words.empty()) return usage_error("action", "missing action text and owner");

  // The owner is the last mention; a Slack label such as <@U1|Jane Doe> may span words.
  std::size_t owner_start = words.size() - 1;
  if (words.back().ends_with(">") && !words.back().starts_with("<@")) {
    while (owner_start > 0 && !words[owner_start].starts_with("<@")) --owner_start;
  }
  const std::string_view last = words.back();
  const std::string_view owner_text(words[owner_start].data(),
                                    static_cast<std::size_t>(last.data() + last.size() - words[owner_start].data()));
  const auto owner = user_from(owner_text);
  if (!owner) return usage_error("action", "end the action with its owner, such as action " + quoted(trim(arguments)) + " @sam");
  action.owner = *owner;
  if (owner_start == 0) return usage_error("action", "missing action text before the owner");
  const std::string_view first = words.front(), before_owner = words[owner_start - 1];
  const std::string_view text(first.data(),
                              static_cast<std::size_t>(before_owner.data() + before_owner.size() - first.data()));
  if (auto error = too_long("action", "action", text)) return *error;
  action.text = std::string(text);
  return action;
}

}  // namespace grammar
}  // namespace incident_bot::commands
