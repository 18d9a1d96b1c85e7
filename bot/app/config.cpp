// The configuration loader: one table maps every key to the setter that checks and stores it.
#include "bot/app/config.hpp"

#include "bot/net/url.hpp"
#include "workflows/policy.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace incident_bot::bot {
namespace {

namespace json = boost::json;

using Problem = std::optional<ConfigError>;
// Checks one JSON value and stores it in the config, or says what is wrong with it.
using Setter = std::function<Problem(const json::value& value, const std::string& key, Config& config)>;
// Checks a string that is already known to be a string; returns the complaint, if any.
using Validator = std::optional<std::string> (*)(std::string_view text);

constexpr std::string_view duration_hint = "expected a duration such as 90s, 30m, 6h or 2d";
constexpr std::string_view secrets_hint =
    "unknown key: secrets come from the environment (SLACK_BOT_TOKEN, SLACK_APP_TOKEN, "
    "SLACK_SIGNING_SECRET, MATTERMOST_BOT_TOKEN, MATTERMOST_COMMAND_TOKEN, each also as NAME_FILE), "
    "never from the config file";

bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ---- validators for strings with a shape ----

std::optional<std::string> any_text(std::string_view) { return std::nullopt; }

std::optional<std::string> non_empty(std::string_view text) {
  if (!text.empty()) return std::nullopt;
  return "expected a non-empty string";
}

// The parser the HTTP client uses, so a URL check-config accepts is one the client can reach.
std::optional<std::string> http_url(std::string_view text) {
  const auto url = parse_url(text);
  if (url && (url->scheme == "http" || url->scheme == "https")) return std::nullopt;
  return "expected a URL starting with http:// or https://";
}

std::optional<std::string> http_url_or_empty(std::string_view text) {
  return text.empty() ? std::nullopt : http_url(text);
}

// The parser run uses to bind, so a value check-config accepts is one run can listen on.
std::optional<std::string> listen_address(std::string_view text) {
  auto parsed = parse_host_port(text);
  if (parsed.ok()) return std::nullopt;
  return std::move(parsed.problem);
}

std::optional<std::string> channel_prefix(std::string_view text) {
  const bool fits = !text.empty() && text.size() <= 20 &&
                    std::all_of(text.begin(), text.end(), [](char c) { return is_lower_or_digit(c) || c == '-' || c == '_'; });
  if (fits) return std::nullopt;
  return "expected 1 to 20 characters from a-z, 0-9, - and _";
}

bool is_layer_word(std::string_view text) {
  return !text.empty() && text.front() >= 'a' && text.front() <= 'z' &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_lower_or_digit(c) || c == '-' || c == '_'; });
}

// ---- setters, one per kind of value ----

std::optional<Seconds> duration_of(const json::value& value) {
  if (!value.is_string()) return std::nullopt;
  const json::string& text = value.get_string();
  return parse_duration(std::string_view(text.data(), text.size()));
}

// What a key says of a value that is no duration it may hold.
std::string duration_complaint(const json::value& value) {
  if (value.is_string() && is_too_long_duration(std::string_view(value.get_string().data(), value.get_string().size())))
    return "expected a duration of at most " + std::string(longest_duration_text);
  return std::string(duration_hint);
}

template <class Field>
Setter string_value(Field field, Validator validate = any_text) {
  return [field, validate](const json::value& value, const std::string& key, Config& config) -> Problem {
    if (!value.is_string()) return ConfigError{key, "expected a string"};
    const std::string_view text(value.get_string().data(), value.get_string().size());
    if (auto complaint = validate(text)) return ConfigError{key, *complaint};
    field(config) = std::string(text);
    return std::nullopt;
  };
}

template <class Field>
Setter bool_value(Field field) {
  return [field](const json::value& value, const std::string& key, Config& config) -> Problem {
    if (!value.is_bool()) return ConfigError{key, "expected true or false"};
    field(config) = value.get_bool();
    return std::nullopt;
  };
}

template <class Field>
Setter integer_value(Field field, std::int64_t least, std::int64_t most) {
  return [field, least, most](const json::value& value, const std::string& key, Config& config) -> Problem {
    const auto* number = value.if_int64();
    if (!number || *number < least || *number > most)
      return ConfigError{key, "expected a whole number from " + std::to_string(least) + " to " + std::to_string(most)};
    field(config) = static_cast<int>(*number);
    return std::nullopt;
  };
}

template <class Field>
Setter duration_value(Field field) {
  return [field](const json::value& value, const std::string& key, Config& config) -> Problem {
    const auto seconds = duration_of(value);
    if (!seconds) return ConfigError{key, duration_complaint(value)};
    field(config) = *seconds;
    return std::nullopt;
  };
}

template <class Field>
Setter duration_value_within(Field field, Seconds least, Seconds most) {
  return [field, least, most](const json::value& value, const std::string& key, Config& config) -> Problem {
    const auto seconds = duration_of(value);
    if (!seconds) return ConfigError{key, std::string(duration_hint)};
    if (*seconds < least || *seconds > most)
      return ConfigError{key, "expected a duration from " + format_duration(least) + " to " + format_duration(most)};
    field(config) = *seconds;
    return std::nullopt;
  };
}

Problem set_escalate_after(const json::value& value, const std::string& key, Config& config) {
  if (!value.is_array()) return ConfigError{key, R"(expected a list of durations such as ["15m", "1h"])"};
  const json::array& items = value.get_array();
  if (items.empty()) return ConfigError{key, "expected at least one duration"};
  std::vector<Seconds> steps;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    const auto seconds = duration_of(items[i]);
    if (!seconds) return ConfigError{at, duration_complaint(items[i])};
    if (!steps.empty() && *seconds <= steps.back()) return ConfigError{at, "expected durations in ascending order"};
    steps.push_back(*seconds);
  }
  config.reminders.escalate_after = std::move(steps);
  return std::nullopt;
}

Problem set_layers(const json::value& value, const std::string& key, Config& config) {
  if (!value.is_array()) return ConfigError{key, R"(expected a list of layer names such as ["delivery", "operations"])"};
  const json::array& items = value.get_array();
  if (items.empty()) return ConfigError{key, "expected at least one layer"};
  std::vector<std::string> layers;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    if (!items[i].is_string()) return ConfigError{at, "expected a string"};
    std::string name(items[i].get_string().data(), items[i].get_string().size());
    if (!is_layer_word(name)) return ConfigError{at, "expected a lowercase word (a-z, 0-9, - or _, starting with a letter)"};
    if (std::find(layers.begin(), layers.end(), name) != layers.end())
      return ConfigError{at, "layer \"" + name + "\" is listed twice"};
    layers.push_back(std::move(name));
  }
  config.layers = std::move(layers);
  return std::nullopt;
}

// A component name: shown on the page and written in `publish … components:`, so no commas or controls.
std::optional<std::string> component_name_problem(std::string_view name) {
  if (name.empty() || name.size() > 100) return "expected a name of 1 to 100 characters";
  if (std::any_of(name.begin(), name.end(), [](char c) { return c == ',' || static_cast<unsigned char>(c) < 0x20; }))
    return "a component name may not hold a comma or a control character";
  return std::nullopt;
}

// ["checkout", {"name": "api", "description": "…"}]
Problem set_components(const json::value& value, const std::string& key, Config& config) {
  if (!value.is_array())
    return ConfigError{key, R"(expected a list such as ["checkout", {"name": "api", "description": "Public API"}])"};
  std::vector<Config::StatusPage::Component> components;
  const json::array& items = value.get_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string at = key + "[" + std::to_string(i) + "]";
    Config::StatusPage::Component component;
    if (items[i].is_string()) {
      component.name = std::string(items[i].get_string());
    } else if (const auto* object = items[i].if_object()) {
      for (const auto& field : *object) {
        if (field.key() != "name" && field.key() != "description")
          return ConfigError{at + "." + std::string(field.key()), "unknown key: a component has a name and a description"};
        if (!field.value().is_string()) return ConfigError{at + "." + std::string(field.key()), "expected a string"};
      }
      if (const auto* name = object->if_contains("name")) component.name = std::string(name->get_string());
      if (const auto* description = object->if_contains("description"))
        component.description = std::string(description->get_string());
    } else {
      return ConfigError{at, "expected a name, or an object with a name and a description"};
    }
    if (auto problem = component_name_problem(component.name)) return ConfigError{at, *problem};
    for (const auto& earlier : components)
      if (workflows::component_key(earlier.name) == workflows::component_key(component.name))
        return ConfigError{at, "component \"" + component.name + "\" is listed twice"};
    components.push_back(std::move(component));
  }
  config.status_page.components = std::move(components);
  return std::nullopt;
}

// ---- the table: every key the file may hold ----

struct Entry {
  std::string_view key;
  Setter set;
};

const std::vector<Entry>& entries() {
  static const std::vector<Entry> table{
      {"store.path", string_value([](Config& c) -> auto& { return c.store.path; }, non_empty)},
      {"store.batch_max_commands", integer_value([](Config& c) -> auto& { return c.store.batch_max_commands; }, 1, 10000)},
      {"store.batch_max_wait_ms", integer_value([](Config& c) -> auto& { return c.store.batch_max_wait_ms; }, 0, 1000)},
      {"store.keep_delivery_ids", duration_value([](Config& c) -> auto& { return c.store.keep_delivery_ids; })},
      {"store.keep_delivered", duration_value([](Config& c) -> auto& { return c.store.keep_delivered; })},
      {"http.listen", string_value([](Config& c) -> auto& { return c.http.listen; }, listen_address)},
      {"http.max_connections", integer_value([](Config& c) -> auto& { return c.http.max_connections; }, 1, 100000)},
      {"http.idle_timeout", duration_value_within([](Config& c) -> auto& { return c.http.idle_timeout; }, 1, 3600)},
      {"slack.api_url", string_value([](Config& c) -> auto& { return c.slack.api_url; }, http_url)},
      {"slack.announce_channel", string_value([](Config& c) -> auto& { return c.slack.announce_channel; })},
      {"slack.incident_channels", bool_value([](Config& c) -> auto& { return c.slack.incident_channels; })},
      {"slack.channel_prefix", string_value([](Config& c) -> auto& { return c.slack.channel_prefix; }, channel_prefix)},
      {"mattermost.url", string_value([](Config& c) -> auto& { return c.mattermost.url; }, http_url_or_empty)},
      {"mattermost.team_id", string_value([](Config& c) -> auto& { return c.mattermost.team_id; })},
      {"mattermost.announce_channel", string_value([](Config& c) -> auto& { return c.mattermost.announce_channel; })},
      {"mattermost.dialog_url", string_value([](Config& c) -> auto& { return c.mattermost.dialog_url; }, http_url_or_empty)},
      {"tls.ca_file", string_value([](Config& c) -> auto& { return c.tls.ca_file; })},
      {"tls.allow_insecure_urls", bool_value([](Config& c) -> auto& { return c.tls.allow_insecure_urls; })},
      {"cadence.default", duration_value([](Config& c) -> auto& { return c.cadence.default_every; })},
      {"cadence.sev1", duration_value([](Config& c) -> auto& { return c.cadence.by_severity[1]; })},
      {"cadence.sev2", duration_value([](Config& c) -> auto& { return c.cadence.by_severity[2]; })},
      {"cadence.sev3", duration_value([](Config& c) -> auto& { return c.cadence.by_severity[3]; })},
      {"cadence.sev4", duration_value([](Config& c) -> auto& { return c.cadence.by_severity[4]; })},
      {"reminders.escalate_after", set_escalate_after},
      {"reminders.comms_lead_after", duration_value([](Config& c) -> auto& { return c.reminders.comms_lead_after; })},
      {"reminders.comms_fallback", string_value([](Config& c) -> auto& { return c.reminders.comms_fallback; })},
      {"reminders.postmortem_every", duration_value([](Config& c) -> auto& { return c.reminders.postmortem_every; })},
      {"close.monitor_for", duration_value([](Config& c) -> auto& { return c.close.monitor_for; })},
      {"changes.in_flight_for", duration_value([](Config& c) -> auto& { return c.changes.in_flight_for; })},
      {"outbox.give_up_after", duration_value([](Config& c) -> auto& { return c.outbox.give_up_after; })},
      {"outbox.stuck_after", duration_value([](Config& c) -> auto& { return c.outbox.stuck_after; })},
      {"status_page.enabled", bool_value([](Config& c) -> auto& { return c.status_page.enabled; })},
      {"status_page.title", string_value([](Config& c) -> auto& { return c.status_page.title; }, non_empty)},
      {"status_page.components", set_components},
      {"status_page.history_days", integer_value([](Config& c) -> auto& { return c.status_page.history_days; }, 1, 365)},
      {"status_page.nudge_after", duration_value([](Config& c) -> auto& { return c.status_page.nudge_after; })},
      {"status_page.public_url", string_value([](Config& c) -> auto& { return c.status_page.public_url; }, http_url_or_empty)},
      {"layers", set_layers},
      {"templates.dir", string_value([](Config& c) -> auto& { return c.templates.dir; })},
  };
  return table;
}

const Entry* find_entry(std::string_view key) {
  const auto& table = entries();
  const auto found = std::find_if(table.begin(), table.end(), [&](const Entry& entry) { return entry.key == key; });
  return found == table.end() ? nullptr : &*found;
}

// A section ("slack") is any key that prefixes a table key with a dot.
bool is_section(std::string_view key) {
  const auto& table = entries();
  return std::any_of(table.begin(), table.end(), [&](const Entry& entry) {
    return entry.key.size() > key.size() && entry.key.starts_with(key) && entry.key[key.size()] == '.';
  });
}

ConfigError unknown_key(const std::string& key) {
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("token") != std::string::npos || lower.find("secret") != std::string::npos)
    return ConfigError{key, std::string(secrets_hint)};
  return ConfigError{key, "unknown key"};
}

Problem apply(const json::object& object, const std::string& prefix, Config& config) {
  for (const auto& member : object) {
    const std::string name(member.key().data(), member.key().size());
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    // A dotted name would otherwise reach a table key without its section.
    if (name.empty() || name.find('.') != std::string::npos) return unknown_key(key);
    if (is_section(key)) {
      if (!member.value().is_object()) return ConfigError{key, "expected an object"};
      if (auto problem = apply(member.value().get_object(), key, config)) return problem;
    } else if (const Entry* entry = find_entry(key)) {
      if (auto problem = entry->set(member.value(), key, config)) return problem;
    } else {
      return unknown_key(key);
    }
  }
  return std::nullopt;
}

// json::parse does not say where it stopped; a stream parser fed the same text does.
std::string error_position(std::string_view text, const json::parse_options& options) {
  json::stream_parser parser({}, options);
  json::error_code ignored;
  const std::size_t consumed = std::min(parser.write_some(text.data(), text.size(), ignored), text.size());
  const std::string_view before = text.substr(0, consumed);
  const auto line = 1 + std::count(before.begin(), before.end(), '\n');
  const auto last_newline = before.rfind('\n');
  const auto column = 1 + (last_newline == std::string_view::npos ? consumed : consumed - last_newline - 1);
  return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

ConfigError cannot_read(const std::string& path, const std::string& reason) {
  return ConfigError{"", "cannot read config file " + path + ": " + reason};
}

}  // namespace

std::vector<std::string> insecure_url_keys(const Config& config) {
  std::vector<std::string> keys;
  const std::pair<const char*, const std::string*> chat_urls[] = {{"slack.api_url", &config.slack.api_url},
                                                                   {"mattermost.url", &config.mattermost.url}};
  for (const auto& [key, text] : chat_urls) {
    const auto url = parse_url(*text);
    if (url && !url->tls()) keys.emplace_back(key);
  }
  return keys;
}

std::optional<ConfigError> check_transport(const Config& config) {
  if (config.tls.allow_insecure_urls) return std::nullopt;
  const auto keys = insecure_url_keys(config);
  if (keys.empty()) return std::nullopt;
  return ConfigError{keys.front(),
                     "an http:// URL would carry the bot token in clear text: use https://, or set "
                     "tls.allow_insecure_urls to true for a stand-in on loopback"};
}

ConfigResult parse_config(std::string_view json_text) {
  json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  json::error_code error;
  const json::value document = json::parse(json::string_view(json_text.data(), json_text.size()), error, {}, options);
  if (error)
    return ConfigError{"", "malformed JSON at " + error_position(json_text, options) + ": " + error.message()};
  if (!document.is_object()) return ConfigError{"", "expected a JSON object at the top level"};
  Config config;
  if (auto problem = apply(document.get_object(), "", config)) return *problem;
  if (auto problem = check_transport(config)) return *problem;
  return config;
}

ConfigResult load_config(const std::string& path) {
  std::error_code status;
  if (std::filesystem::is_directory(path, status))
    return cannot_read(path, std::make_error_code(std::errc::is_a_directory).message());
  errno = 0;
  std::ifstream file(path, std::ios::binary);
  if (!file) return cannot_read(path, std::generic_category().message(errno != 0 ? errno : EIO));
  std::string text;
  try {
    text.assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  } catch (const std::ios_base::failure& failure) {
    return cannot_read(path, failure.code().message());
  }
  if (file.bad()) return cannot_read(path, std::generic_category().message(EIO));
  return parse_config(text);
}

}  // namespace incident_bot::bot
