#include "bot/mattermost/translator.hpp"

#include "bot/mattermost/markup.hpp"

#include <cctype>

namespace incident_bot::bot {

namespace asio = boost::asio;

namespace {

constexpr std::size_t name_limit = 64;
constexpr std::size_t header_limit = 1024;
constexpr std::size_t message_limit = 16383;
constexpr int rename_attempts = 5;

// Mattermost refuses longer posts; the cut is visible.
std::string within_limit(std::string message) {
  if (message.size() <= message_limit) return message;
  std::size_t cut = message_limit - 20;
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
  return message.substr(0, cut) + "\n… (truncated)";
}

std::string display_name(const Incident& incident) {
  std::string name = incident_id(incident.number) + " " + incident.title;
  if (name.size() <= name_limit) return name;
  std::size_t cut = name_limit - 3;
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut) + "…";
}

}  // namespace

std::string mattermost_channel_name(std::string_view name) {
  std::string cleaned;
  for (const char c : name) {
    const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower)) || lower == '-' || lower == '_') cleaned += lower;
  }
  if (cleaned.size() > name_limit) cleaned.resize(name_limit);
  while (!cleaned.empty() && (cleaned.back() == '-' || cleaned.back() == '_')) cleaned.pop_back();
  return cleaned;
}

MattermostDelivery::MattermostDelivery(asio::io_context& io, SQLite::Database& db, MattermostApi& api,
                                       MattermostDeliveryOptions options, std::shared_ptr<spdlog::logger> logger)
    : db_(db), api_(api), options_(std::move(options)), logger_(std::move(logger)),
      traits_(mattermost_platform(options_.incident_channels)),
      loop_(io, db, *this, options_.clock, logger_, options_.idle_poll) {}

Delivery MattermostDelivery::judge(const ApiResult& result, std::string message_ref) const {
  if (result.succeeded()) return Delivery{DeliveryResult::delivered, std::move(message_ref), {}};
  switch (result.disposition) {
    case Disposition::retry:
    case Disposition::rate_limited:
    case Disposition::fatal_auth:  // a replaced token delivers what is waiting
      return Delivery{DeliveryResult::retry_later, {}, result.error};
    default:
      return Delivery{DeliveryResult::abandoned, {}, result.error};
  }
}

asio::awaitable<std::string> MattermostDelivery::with_names(std::string text) {
  for (const auto& id : mentioned_ids(text)) {
    if (store::user_name(db_, traits_.name, id)) continue;
    const auto user = co_await api_.user(id);
    if (user.ok()) store::remember_user(db_, traits_.name, id, user.value.username);
  }
  co_return mentions_as_names(text, [this](std::string_view id) { return store::user_name(db_, traits_.name, id); });
}

asio::awaitable<std::string> MattermostDelivery::incident_channel(const Incident& incident, std::string& error) {
  if (!options_.incident_channels) co_return incident.declared_in;
  if (auto known = store::channel_id(db_, traits_.name, incident.channel)) co_return *known;
  const std::string base = mattermost_channel_name(incident.channel);
  std::string name = base;
  for (int attempt = 1; attempt <= rename_attempts; ++attempt) {
    const auto created = co_await api_.create_channel(options_.team_id, name, display_name(incident), incident.is_private);
    if (created.ok()) {
      store::remember_channel(db_, traits_.name, incident.channel, created.value, incident.number);
      logger_->info("{}: created channel ~{} ({})", incident_id(incident.number), name, created.value);
      co_return created.value;
    }
    error = created.result.error;
    if (created.result.disposition != Disposition::rename) co_return std::string{};
    const std::string suffix = "-" + std::to_string(attempt + 1);
    name = base.substr(0, name_limit - suffix.size()) + suffix;
  }
  co_return std::string{};
}

asio::awaitable<std::string> MattermostDelivery::destination(const store::OutboxRow& row, Delivery& failure) {
  failure.result = DeliveryResult::retry_later;
  if (row.incident != 0) {
    const auto incident = store::load_incident(db_, row.incident);
    if (incident && row.channel == incident->channel) co_return co_await incident_channel(*incident, failure.error);
  }
  if (is_mattermost_id(row.channel)) co_return row.channel;
  std::string name = row.channel;
  if (!name.empty() && (name.front() == '#' || name.front() == '~')) name.erase(0, 1);
  if (name.empty()) {
    failure = Delivery{DeliveryResult::abandoned, {}, "no channel: set mattermost.announce_channel"};
    co_return std::string{};
  }
  const auto found = co_await api_.channel_named(options_.team_id, name);
  if (found.ok()) co_return found.value;
  failure = judge(found.result);
  failure.error = "channel ~" + name + ": " + failure.error;
  co_return std::string{};
}

asio::awaitable<Delivery> MattermostDelivery::post_card(const store::OutboxRow& row, const Incident& incident) {
  const std::string message = within_limit(co_await with_names(read_outbox_payload(row.payload).text));
  if (const auto card = store::card_message(db_, traits_.name, incident.number)) {
    const auto patched = co_await api_.patch_post(card->message_id, message);
    if (patched.disposition != Disposition::post_new) co_return judge(patched, card->message_id);
  }
  std::string error;
  const std::string channel = co_await incident_channel(incident, error);
  if (channel.empty()) co_return Delivery{DeliveryResult::retry_later, {}, error};
  const auto posted = co_await api_.create_post(channel, message);
  if (!posted.ok()) co_return judge(posted.result);
  store::remember_card(db_, traits_.name, incident.number, store::CardMessage{channel, posted.value});
  const auto pinned = co_await api_.pin(posted.value);
  if (!pinned.succeeded()) logger_->warn("{}: card not pinned: {}", incident_id(incident.number), pinned.error);
  co_return Delivery{DeliveryResult::delivered, posted.value, {}};
}

// A reminder to one person: their direct channel with the bot. A name (comms_fallback) is looked up.
asio::awaitable<Delivery> MattermostDelivery::direct(const store::OutboxRow& row) {
  std::string user = row.channel;
  if (!user.empty() && user.front() == '@') user.erase(0, 1);
  if (!is_mattermost_id(user)) {
    const auto known = store::user_named(db_, traits_.name, user);
    if (!known) co_return Delivery{DeliveryResult::abandoned, {}, "no Mattermost user known as @" + user};
    user = *known;
  }
  const auto channel = co_await api_.direct_channel(user);
  if (!channel.ok()) co_return judge(channel.result);
  const auto posted = co_await api_.create_post(channel.value, within_limit(co_await with_names(row.payload)));
  co_return judge(posted.result, posted.value);
}

asio::awaitable<Delivery> MattermostDelivery::deliver(const store::OutboxRow& row) {
  if (row.kind == "card") {
    const auto incident = store::load_incident(db_, row.incident);
    if (!incident) co_return Delivery{DeliveryResult::abandoned, {}, "no such incident"};
    co_return co_await post_card(row, *incident);
  }
  if (row.kind == "direct") co_return co_await direct(row);
  if ((row.kind == "invite" || row.kind == "topic") && !options_.incident_channels)
    co_return Delivery{DeliveryResult::delivered, {}, {}};
  Delivery failure;
  const std::string channel = co_await destination(row, failure);
  if (channel.empty()) co_return failure;
  if (row.kind == "invite") co_return judge(co_await api_.add_member(channel, row.payload));
  if (row.kind == "topic") {
    std::string header = co_await with_names(row.payload);
    if (header.size() > header_limit) header.resize(header_limit);
    co_return judge(co_await api_.set_header(channel, header));
  }
  if (row.kind == "ephemeral") {
    const auto newline = row.payload.find('\n');
    const std::string user = row.payload.substr(0, newline);
    std::string message = co_await with_names(read_outbox_payload(row.payload.substr(newline + 1)).text);
    co_return judge(co_await api_.post_ephemeral(channel, user, within_limit(std::move(message))));
  }
  const auto posted = co_await api_.create_post(channel, within_limit(co_await with_names(read_outbox_payload(row.payload).text)));
  co_return judge(posted.result, posted.value);
}

}  // namespace incident_bot::bot
