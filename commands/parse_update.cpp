// update: the evidence-led status update, written as `|`-separated `key: value` segments, or given field by field.
#include "commands/grammar.hpp"
#include "commands/parse.hpp"

#include <array>
#include <bitset>
#include <utility>

namespace incident_bot::commands::grammar {
namespace {

enum class UpdateKey { symptom, scope, layer, confidence, mitigation, next_check, next_update };

struct KeyName {
  std::string_view name;
  UpdateKey key;
};
constexpr std::array<KeyName, 7> update_keys{{
    {"symptom", UpdateKey::symptom},
    {"scope", UpdateKey::scope},
    {"layer", UpdateKey::layer},
    {"confidence", UpdateKey::confidence},
    {"mitigation", UpdateKey::mitigation},
    {"next", UpdateKey::next_check},
    {"next update", UpdateKey::next_update},
}};
constexpr std::string_view key_list = "symptom, scope, layer, confidence, mitigation, next, next update";

std::optional<UpdateKey> key_named(std::string_view name) {
  for (const auto& entry : update_keys)
    if (entry.name == name) return entry.key;
  return std::nullopt;
}

std::string_view name_of(UpdateKey key) {
  for (const auto& entry : update_keys)
    if (entry.key == key) return entry.name;
  return "";
}

struct KeyedSegment {
  std::string_view written_key;  // as typed, for error messages
  std::string normalized_key;    // lowercase, single spaces: "next update"
  std::string_view value;        // trimmed
};

// "Next  Update: 30m" -> {"Next  Update", "next update", "30m"}; nullopt without a colon.
std::optional<KeyedSegment> split_key(std::string_view segment) {
  const auto colon = segment.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  KeyedSegment keyed{trim(segment.substr(0, colon)), {}, trim(segment.substr(colon + 1))};
  std::string spaced(keyed.written_key);
  // next-update and next_update are the same key as "next update".
  for (char& c : spaced)
    if (c == '-' || c == '_') c = ' ';
  for (const auto word : split_words(spaced)) {
    if (!keyed.normalized_key.empty()) keyed.normalized_key += ' ';
    keyed.normalized_key += lowercase(word);
  }
  return keyed;
}

// Slack writes mentions and links as <@U1|name>, <#C1|name>, <!here>, <https://x|text>.
bool starts_slack_escape(std::string_view text) {
  return text.starts_with("<@") || text.starts_with("<#") || text.starts_with("<!") ||
         text.starts_with("<http") || text.starts_with("<mailto:");
}

// Splits on `|`, except for the `|` inside a Slack escape.
std::vector<std::string_view> split_segments(std::string_view text) {
  std::vector<std::string_view> segments;
  std::size_t segment_start = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    if (text[position] == '<' && starts_slack_escape(text.substr(position))) {
      const auto escape_end = text.find('>', position);
      if (escape_end != std::string_view::npos) {
        position = escape_end + 1;
        continue;
      }
    }
    if (text[position] == '|') {
      segments.push_back(trim(text.substr(segment_start, position - segment_start)));
      segment_start = position + 1;
    }
    ++position;
  }
  segments.push_back(trim(text.substr(segment_start)));
  return segments;
}

// The mention ending `value`, if any: "<@U1|Jane Doe>" may hold spaces, "@sam" may not.
std::string_view trailing_mention(std::string_view value) {
  if (value.ends_with('>')) {
    const auto start = value.rfind("<@");
    if (start != std::string_view::npos && value.find('>', start) == value.size() - 1) return value.substr(start);
  }
  const auto space = value.find_last_of(' ');
  const auto last_word = space == std::string_view::npos ? value : value.substr(space + 1);
  return looks_like_user(last_word) ? last_word : std::string_view{};
}

std::optional<ParseError> read_next_check(std::string_view value, Update& update) {
  const auto mention = trailing_mention(value);
  if (!mention.empty()) {
    const auto owner = user_from(mention);
    if (!owner) return usage_error("update", quoted(mention) + " is not a user; write next: <check> @name");
    update.next_check_owner = *owner;
    value = trim(value.substr(0, value.size() - mention.size()));
    if (value.empty()) return usage_error("update", "next: needs a check before its owner");
  }
  update.next_check = std::string(value);
  return std::nullopt;
}

std::optional<ParseError> read_value(UpdateKey key, std::string_view value, Update& update) {
  switch (key) {
    case UpdateKey::symptom: update.symptom = std::string(value); break;
    case UpdateKey::scope: update.scope = std::string(value); break;
    case UpdateKey::mitigation: update.mitigation = std::string(value); break;
    case UpdateKey::next_check: return read_next_check(value, update);
    case UpdateKey::layer: {
      auto layer = layer_name("update", value);
      if (auto* error = std::get_if<ParseError>(&layer)) return std::move(*error);
      update.layer = std::get<std::string>(std::move(layer));
      break;
    }
    case UpdateKey::confidence: {
      update.confidence = confidence_from(value);
      if (!update.confidence)
        return usage_error("update", "unknown confidence " + quoted(value) + ", expected low, medium or high");
      break;
    }
    case UpdateKey::next_update: {
      update.next_update_in = parse_duration(value);
      if (!update.next_update_in)
        return duration_error("update", "next update ", value, "30m, 2h or 1h30m");
      break;
    }
  }
  return std::nullopt;
}

// One form field read as the grammar reads a segment's value; an empty field is not given.
std::optional<ParseError> read_field(UpdateKey key, std::string_view raw, bool owner_chosen, Update& update) {
  const std::string name(name_of(key));
  if (auto reason = unreadable_reason(raw)) return usage_error("update", name + ": " + *reason);
  const std::string value = flatten_whitespace(raw);
  if (value.empty()) return std::nullopt;
  if (auto error = too_long("update", name, value)) return *error;
  // With an owner chosen, the check is all text: a trailing @name stays in it.
  if (key == UpdateKey::next_check && owner_chosen) {
    update.next_check = value;
    return std::nullopt;
  }
  return read_value(key, value, update);
}

}  // namespace

CommandOrError parse_update(std::string_view arguments) {
  Update update;
  std::bitset<update_keys.size()> seen;
  const auto segments = split_segments(arguments);
  for (std::size_t index = 0; index < segments.size(); ++index) {
    const std::string_view segment = segments[index];
    // A stray bar, as in "a || b" or a trailing "|", holds nothing to read.
    if (segment.empty()) continue;

    const auto keyed = split_key(segment);
    const auto key = keyed ? key_named(keyed->normalized_key) : std::nullopt;
    UpdateKey field = UpdateKey::symptom;
    std::string_view value = segment;
    if (key) {
      field = *key;
      value = keyed->value;
    } else if (index != 0) {
      // Only the first segment may go without a key: it is the symptom, colons and all.
      if (!keyed) return usage_error("update", quoted(segment) + " needs a key such as scope: or next:");
      return usage_error("update", "unknown update key " + quoted(keyed->written_key) + "; keys are " +
                                       std::string(key_list));
    }

    const std::string_view field_name = name_of(field);
    if (seen.test(static_cast<std::size_t>(field)))
      return usage_error("update", std::string(field_name) + " given twice");
    seen.set(static_cast<std::size_t>(field));
    if (value.empty()) return usage_error("update", std::string(field_name) + ": has no value");
    if (auto error = too_long("update", field_name, value)) return *error;
    if (auto error = read_value(field, value, update)) return *error;
  }
  if (update.symptom.empty()) return usage_error("update", "missing symptom");
  return update;
}

}  // namespace incident_bot::commands::grammar

namespace incident_bot::commands {

std::variant<Update, UpdateFieldError> update_from_fields(const UpdateFields& fields) {
  using grammar::UpdateKey;
  struct Given {
    UpdateKey key;
    UpdateField field;
    const std::string& value;
  };
  const Given given[] = {
      {UpdateKey::symptom, UpdateField::symptom, fields.symptom},
      {UpdateKey::scope, UpdateField::scope, fields.scope},
      {UpdateKey::layer, UpdateField::layer, fields.layer},
      {UpdateKey::confidence, UpdateField::confidence, fields.confidence},
      {UpdateKey::mitigation, UpdateField::mitigation, fields.mitigation},
      {UpdateKey::next_check, UpdateField::next_check, fields.next_check},
      {UpdateKey::next_update, UpdateField::next_update, fields.next_update},
  };
  const auto refused = [](UpdateField field, std::string message) {
    return UpdateFieldError{field, grammar::usage_error("update", std::move(message))};
  };
  const UserId& owner = fields.next_check_owner;
  Update update;
  for (const auto& field : given)
    if (auto error = grammar::read_field(field.key, field.value, !owner.empty(), update))
      return UpdateFieldError{field.field, std::move(*error)};
  if (update.symptom.empty()) return refused(UpdateField::symptom, "missing symptom");
  if (!owner.empty()) {
    // Held to the letters and digits a typed <@U123> may have.
    if (grammar::user_from("<@" + owner + ">") != owner)
      return refused(UpdateField::next_check_owner, grammar::quoted(owner) + " is not a user id");
    if (!update.next_check) return refused(UpdateField::next_check, "next: needs a check before its owner");
    update.next_check_owner = owner;
  }
  return update;
}

}  // namespace incident_bot::commands
