#include "fakes/slack_workspace.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <utility>

namespace incident_bot::fakes {

namespace json = boost::json;

namespace {

constexpr std::int64_t most_history = 999;  // Slack's own caps on `limit`
constexpr std::int64_t most_listed = 1000;

json::object failure(std::string_view error) { return {{"ok", false}, {"error", error}}; }

std::string string_arg(const json::object& args, std::string_view name) {
  const auto* value = args.if_contains(name);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// Slack takes booleans and numbers as JSON values or as the strings a form would carry.
bool bool_arg(const json::object& args, std::string_view name) {
  const auto* value = args.if_contains(name);
  if (!value) return false;
  if (value->is_bool()) return value->as_bool();
  if (value->is_int64()) return value->as_int64() != 0;
  if (value->is_string()) return value->as_string() == "true" || value->as_string() == "1";
  return false;
}

std::optional<std::int64_t> int_arg(const json::object& args, std::string_view name, std::int64_t fallback) {
  const auto* value = args.if_contains(name);
  if (!value) return fallback;
  if (value->is_int64()) return value->as_int64();
  if (value->is_uint64()) return static_cast<std::int64_t>(value->as_uint64());
  if (!value->is_string() || value->as_string().empty()) return std::nullopt;
  const std::string_view text = value->as_string();
  if (!std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); })) return std::nullopt;
  return std::stoll(std::string(text));
}

// A ts as (seconds, microseconds), compared exactly: "1700000000.000101", "1700000000", "0".
using TsKey = std::pair<std::int64_t, std::int64_t>;
std::optional<TsKey> ts_key(std::string_view ts) {
  const auto dot = ts.find('.');
  const auto seconds = ts.substr(0, dot);
  auto fraction = dot == std::string_view::npos ? std::string() : std::string(ts.substr(dot + 1));
  const auto digits = [](std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  if (seconds.empty() || seconds.size() > 12 || !digits(seconds) || fraction.size() > 6 || !digits(fraction))
    return std::nullopt;
  fraction.resize(6, '0');
  return TsKey{std::stoll(std::string(seconds)), std::stoll(fraction)};
}

// Cursors are opaque to clients; here they carry the offset of the next page.
std::string cursor_at(std::size_t offset) { return "next:" + std::to_string(offset); }
std::optional<std::size_t> offset_of(std::string_view cursor) {
  if (cursor.empty()) return 0;
  if (!cursor.starts_with("next:") || cursor.size() == 5) return std::nullopt;
  const auto number = cursor.substr(5);
  if (!std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); })) return std::nullopt;
  return static_cast<std::size_t>(std::stoull(std::string(number)));
}

// {event_type, event_payload}; Slack also takes it JSON-encoded in a string, as forms send it.
std::optional<json::object> metadata_of(const json::value& given) {
  json::value parsed;
  if (given.is_string()) {
    boost::system::error_code ec;
    parsed = json::parse(given.as_string(), ec);
    if (ec) return std::nullopt;
  }
  const json::value& value = given.is_string() ? parsed : given;
  if (!value.is_object()) return std::nullopt;
  const auto* type = value.as_object().if_contains("event_type");
  const auto* payload = value.as_object().if_contains("event_payload");
  if (!type || !type->is_string() || type->as_string().empty() || !payload || !payload->is_object()) return std::nullopt;
  return json::object{{"event_type", *type}, {"event_payload", *payload}};
}

bool is_user_id(std::string_view id) { return id.starts_with('U') || id.starts_with('W'); }

}  // namespace

std::string SlackWorkspace::next_ts() {
  char ts[32];
  std::snprintf(ts, sizeof ts, "1700000000.%06d", 100 + ++messages_posted_);
  return ts;
}

json::object SlackWorkspace::post_message(const json::object& args) {
  std::string channel = string_arg(args, "channel");
  if (channel.empty()) return failure("channel_not_found");
  std::optional<json::object> metadata;
  if (const auto* given = args.if_contains("metadata")) {
    metadata = metadata_of(*given);
    if (!metadata) return failure("invalid_metadata_format");
  }
  if (is_user_id(channel)) channel = direct_channel_for(channel);  // Slack posts to a user in their DM
  const auto ts = next_ts();
  json::object message{{"ts", ts}, {"text", string_arg(args, "text")}, {"user", bot_user_id}, {"bot_id", bot_id}};
  if (const auto* blocks = args.if_contains("blocks")) message["blocks"] = *blocks;
  if (metadata) message["metadata"] = std::move(*metadata);
  messages_[channel].push_back(message);
  message["type"] = "message";
  return {{"ok", true}, {"channel", channel}, {"ts", ts}, {"message", std::move(message)}};
}

json::object SlackWorkspace::update_message(const json::object& args) {
  const auto channel = string_arg(args, "channel");
  const auto ts = string_arg(args, "ts");
  const auto stored = messages_.find(is_user_id(channel) ? direct_channel_of(channel) : channel);
  if (stored != messages_.end()) {
    const auto message = std::find_if(stored->second.begin(), stored->second.end(),
                                      [&](const json::object& m) { return m.at("ts").as_string() == ts; });
    if (message != stored->second.end()) {
      (*message)["text"] = string_arg(args, "text");
      if (const auto* blocks = args.if_contains("blocks")) (*message)["blocks"] = *blocks;
      if (const auto* given = args.if_contains("metadata"))
        if (auto metadata = metadata_of(*given)) (*message)["metadata"] = std::move(*metadata);
    }
  }
  return {{"ok", true}, {"channel", channel}, {"ts", ts}, {"text", string_arg(args, "text")}};
}

json::object SlackWorkspace::create_channel(const json::object& args) {
  const auto name = string_arg(args, "name");
  if (name.empty()) return failure("invalid_name_required");
  if (std::any_of(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.name == name; }))
    return failure("name_taken");
  std::string id;
  do id = "C" + std::to_string(++channels_created_);
  while (knows(id));
  channels_.push_back({id, name, bool_arg(args, "is_private"), bot_user_id, {bot_user_id}});
  return {{"ok", true}, {"channel", described(channels_.back())}};
}

json::object SlackWorkspace::invite(const json::object& args) {
  const auto channel = string_arg(args, "channel");
  if (!channel_of(channel)) return failure("channel_not_found");
  const auto users = string_arg(args, "users");
  if (users.empty()) return failure("no_user");
  for (std::size_t start = 0; start <= users.size();) {
    const auto comma = std::min(users.find(',', start), users.size());
    add_member(channel, users.substr(start, comma - start));
    start = comma + 1;
  }
  return {{"ok", true}, {"channel", {{"id", channel}, {"topic", {{"value", ""}}}}}};
}

json::object SlackWorkspace::join(const json::object& args) {
  const auto channel = string_arg(args, "channel");
  if (channel_of(channel)) add_member(channel, bot_user_id);
  return {{"ok", true}, {"channel", {{"id", channel}, {"topic", {{"value", ""}}}}}};
}

json::object SlackWorkspace::members(const json::object& args) const {
  const auto channel = string_arg(args, "channel");
  const auto found = std::find_if(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.id == channel; });
  if (found == channels_.end()) return failure("channel_not_found");
  const auto limit = int_arg(args, "limit", 100);
  if (!limit || *limit < 1 || *limit > most_listed) return failure("invalid_limit");
  const auto offset = offset_of(string_arg(args, "cursor"));
  if (!offset) return failure("invalid_cursor");
  const auto& all = found->members;
  const auto begin = std::min(*offset, all.size());
  const auto end = std::min(begin + static_cast<std::size_t>(*limit), all.size());
  json::array page;
  for (auto i = begin; i < end; ++i) page.emplace_back(all[i]);
  return {{"ok", true},
          {"members", std::move(page)},
          {"response_metadata", {{"next_cursor", end < all.size() ? cursor_at(end) : ""}}}};
}

void SlackWorkspace::add_member(const std::string& channel_id, std::string user_id) {
  Channel* channel = channel_of(channel_id);
  if (!channel || user_id.empty()) return;
  if (std::find(channel->members.begin(), channel->members.end(), user_id) == channel->members.end())
    channel->members.push_back(std::move(user_id));
}

SlackWorkspace::Channel* SlackWorkspace::channel_of(std::string_view channel_id) {
  const auto found = std::find_if(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.id == channel_id; });
  return found == channels_.end() ? nullptr : &*found;
}

json::object SlackWorkspace::history(const json::object& args) const {
  const auto channel = string_arg(args, "channel");
  if (!knows(channel)) return failure("channel_not_found");
  const auto limit = int_arg(args, "limit", 100);
  if (!limit || *limit < 1) return failure("invalid_limit");
  const auto oldest = ts_key(args.contains("oldest") ? string_arg(args, "oldest") : "0");
  if (!oldest) return failure("invalid_ts_oldest");
  const auto latest = args.contains("latest") ? ts_key(string_arg(args, "latest")) : TsKey{INT64_MAX, INT64_MAX};
  if (!latest) return failure("invalid_ts_latest");
  const auto offset = offset_of(string_arg(args, "cursor"));
  if (!offset) return failure("invalid_cursor");
  const bool inclusive = bool_arg(args, "inclusive");
  const bool with_metadata = bool_arg(args, "include_all_metadata");

  std::vector<const json::object*> in_range;  // newest first
  if (const auto stored = messages_.find(channel); stored != messages_.end())
    for (auto message = stored->second.rbegin(); message != stored->second.rend(); ++message) {
      const auto key = *ts_key(message->at("ts").as_string());
      const bool after_oldest = inclusive ? key >= *oldest : key > *oldest;
      const bool before_latest = inclusive ? key <= *latest : key < *latest;
      if (after_oldest && before_latest) in_range.push_back(&*message);
    }
  const auto begin = std::min(*offset, in_range.size());
  const auto end = std::min(begin + static_cast<std::size_t>(std::min(*limit, most_history)), in_range.size());
  json::array messages;
  for (auto i = begin; i < end; ++i) {
    json::object shown{{"type", "message"}};
    for (const auto& field : *in_range[i])
      if (field.key() != "metadata" || with_metadata) shown.insert(field);
    messages.push_back(std::move(shown));
  }
  const bool has_more = end < in_range.size();
  json::object answer{{"ok", true}, {"messages", std::move(messages)}, {"has_more", has_more}};
  if (has_more) answer["response_metadata"] = {{"next_cursor", cursor_at(end)}};
  return answer;
}

json::object SlackWorkspace::list(const json::object& args) const {
  std::string types = string_arg(args, "types");
  std::erase(types, ' ');
  if (types.empty()) types = "public_channel";
  bool public_channels = false, private_channels = false, ims = false;
  for (std::size_t start = 0; start <= types.size();) {
    const auto comma = std::min(types.find(',', start), types.size());
    const auto type = std::string_view(types).substr(start, comma - start);
    if (type == "public_channel") public_channels = true;
    else if (type == "private_channel") private_channels = true;
    else if (type == "im") ims = true;
    else if (type != "mpim") return failure("invalid_types");  // no multi-person DMs here: none listed
    start = comma + 1;
  }
  const auto limit = int_arg(args, "limit", 100);
  if (!limit || *limit < 1) return failure("invalid_limit");
  const auto offset = offset_of(string_arg(args, "cursor"));
  if (!offset) return failure("invalid_cursor");

  json::array all;  // none is archived, so exclude_archived changes nothing
  for (const auto& channel : channels_)
    if (channel.is_private ? private_channels : public_channels)
      all.push_back(described(channel));
  if (ims)
    for (const auto& [user, id] : direct_channels_)
      all.push_back(json::object{{"id", id}, {"is_im", true}, {"user", user}, {"created", created_at}});
  const auto begin = std::min(*offset, all.size());
  const auto end = std::min(begin + static_cast<std::size_t>(std::min(*limit, most_listed)), all.size());
  json::array page(all.begin() + static_cast<std::ptrdiff_t>(begin), all.begin() + static_cast<std::ptrdiff_t>(end));
  return {{"ok", true},
          {"channels", std::move(page)},
          {"response_metadata", {{"next_cursor", end < all.size() ? cursor_at(end) : ""}}}};
}

json::object SlackWorkspace::open(const json::object& args) {
  const auto users = string_arg(args, "users");
  if (users.empty()) {
    const auto channel = string_arg(args, "channel");
    if (channel.empty()) return failure("users_list_not_supplied");
    const bool known = std::any_of(direct_channels_.begin(), direct_channels_.end(),
                                   [&](const auto& direct) { return direct.second == channel; });
    if (!known) return failure("channel_not_found");
    return {{"ok", true}, {"no_op", true}, {"already_open", true}, {"channel", {{"id", channel}}}};
  }
  if (users.find(',') != std::string::npos) return failure("stand_in_opens_one_user_only");
  if (!is_user_id(users)) return failure("user_not_found");
  const bool already_open = !direct_channel_of(users).empty();
  json::object answer{{"ok", true}};
  if (already_open) {
    answer["no_op"] = true;
    answer["already_open"] = true;
  }
  answer["channel"] = {{"id", direct_channel_for(users)}};
  return answer;
}

void SlackWorkspace::add_foreign_channel(std::string name, std::string id) {
  channels_.push_back({std::move(id), std::move(name), false, foreign_creator, {foreign_creator}});
}

std::vector<json::object> SlackWorkspace::messages_in(std::string_view channel_id) const {
  const auto found = messages_.find(channel_id);
  return found == messages_.end() ? std::vector<json::object>{} : found->second;
}

std::string SlackWorkspace::direct_channel_of(std::string_view user_id) const {
  for (const auto& [user, id] : direct_channels_)
    if (user == user_id) return id;
  return {};
}

std::string SlackWorkspace::direct_channel_for(const std::string& user_id) {
  if (auto known = direct_channel_of(user_id); !known.empty()) return known;
  std::string id;
  do id = "D" + std::to_string(++direct_channels_opened_);
  while (knows(id));
  direct_channels_.emplace_back(user_id, id);
  return id;
}

json::object SlackWorkspace::described(const Channel& channel) {
  return {{"id", channel.id},
          {"name", channel.name},
          {"is_channel", true},
          {"is_private", channel.is_private},
          {"is_im", false},
          {"is_archived", false},
          {"creator", channel.creator},
          {"created", created_at}};
}

bool SlackWorkspace::knows(std::string_view channel_id) const {
  return messages_.contains(channel_id) ||
         std::any_of(channels_.begin(), channels_.end(), [&](const Channel& c) { return c.id == channel_id; }) ||
         std::any_of(direct_channels_.begin(), direct_channels_.end(),
                     [&](const auto& direct) { return direct.second == channel_id; });
}

void SlackWorkspace::clear() {
  channels_.clear();
  direct_channels_.clear();
  messages_.clear();
}

}  // namespace incident_bot::fakes
