#pragma once
// application/x-www-form-urlencoded bodies and query strings, split and decoded by Boost.URL.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace incident_bot::bot {

using FormFields = std::map<std::string, std::string, std::less<>>;

// Boost.URL's query grammar and percent-decoding, '+' as space; nullopt on a malformed escape or a byte
// a form never carries raw (space, control, < > and the like). A repeated field keeps its first value.
std::optional<FormFields> parse_form(std::string_view body);
// Every field in order, repeated ones included (Mattermost repeats user_mentions).
using FormPairs = std::vector<std::pair<std::string, std::string>>;
std::optional<FormPairs> parse_form_pairs(std::string_view body);
std::optional<std::string> percent_decode(std::string_view text);
std::string percent_encode(std::string_view text);

// The value of a field, or "" when absent.
std::string field(const FormFields& fields, std::string_view name);

}  // namespace incident_bot::bot
