#include "bot/slack/translator.hpp"

#include "bot/core/platform.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;

namespace {

constexpr std::size_t section_limit = 3000;
constexpr std::size_t topic_limit = 250;
constexpr int rename_attempts = 5;

json::object section(std::string text) {
  return {{"type", "section"}, {"text", {{"type", "mrkdwn"}, {"text", std::move(text)}}}};
}

json::object button(std::string_view text, std::string_view action, std::int64_t incident) {
  return {{"type", "button"},
          {"text", {{"type", "plain_text"}, {"text", text}}},
          {"action_id", action},
          {"value", std::to_string(incident)}};
}

}  // namespace

json::array text_blocks(const std::string& text) {
  json::array blocks;
  std::string current;
  const auto flush = [&] {
    if (!current.empty()) blocks.push_back(section(std::move(current)));
    current.clear();
  };
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    while (line.size() > section_limit) {  // one line longer than a section: cut it, visibly
      flush();
      blocks.push_back(section(line.substr(0, section_limit - 1) + "…"));
      line = line.substr(section_limit - 1);
    }
    if (current.size() + line.size() + 1 > section_limit) flush();
    current += (current.empty() ? "" : "\n") + line;
  }
  flush();
  if (blocks.size() > 49) blocks.resize(49);  // one block stays free for the card's buttons
  return blocks;
}

json::object card_actions(std::int64_t incident) {
  return {{"type", "actions"},
          {"block_id", "incident_card_actions"},
          {"elements", json::array{button("Post update", "post_update", incident),
                                   button("I'll be comms lead", "take_comms", incident)}}};
}

SlackDelivery::SlackDelivery(asio::io_context& io, SQLite::Database& db, SlackApi& api, SlackDeliveryOptions options,
                             std::shared_ptr<spdlog::logger> logger)
    : db_(db), api_(api), options_(std::move(options)), logger_(std::move(logger)),
      traits_(slack_platform(options_.incident_channels)),
      loop_(io, db, *this, options_.clock, logger_, options_.idle_poll) {}

asio::awaitable<Delivery> SlackDelivery::deliver(const store::OutboxRow& row) {
  Delivery delivery;
  delivery.result = co_await deliver(row, delivery.message_ref, delivery.error);
  co_return delivery;
}

SlackDelivery::Result SlackDelivery::judge(const ApiResult& result, std::string& error) const {
  if (result.succeeded()) return Result::delivered;
  error = result.error;
  switch (result.disposition) {
    case Disposition::retry:
    case Disposition::rate_limited:
    case Disposition::fatal_auth:  // a replaced token delivers what is waiting
    case Disposition::join_channel:
      return Result::retry_later;
    default:
      return Result::abandoned;
  }
}

// The incident's own channel on Slack, created the first time it is needed.
asio::awaitable<std::string> SlackDelivery::incident_channel(const Incident& incident, std::string& error) {
  if (!options_.incident_channels) co_return incident.declared_in;
  if (auto known = store::channel_id(db_, "slack", incident.channel)) co_return *known;
  std::string name = incident.channel;
  for (int attempt = 1; attempt <= rename_attempts; ++attempt) {
    const auto created = co_await api_.create_conversation(name, incident.is_private);
    if (created.ok()) {
      store::remember_channel(db_, "slack", incident.channel, created.value, incident.number);
      logger_->info("{}: created channel #{} ({})", incident_id(incident.number), name, created.value);
      co_return created.value;
    }
    if (created.result.disposition != Disposition::rename) {
      error = created.result.error;
      co_return std::string{};
    }
    name = incident.channel.substr(0, 76) + "-" + std::to_string(attempt + 1);
  }
  error = "name_taken";
  co_return std::string{};
}

asio::awaitable<std::string> SlackDelivery::destination(const store::OutboxRow& row, std::string& error) {
  if (row.incident != 0) {
    const auto incident = store::load_incident(db_, row.incident);
    if (incident && row.channel == incident->channel) co_return co_await incident_channel(*incident, error);
  }
  co_return row.channel;
}

std::pair<std::string, json::array> SlackDelivery::message_of(const std::string& payload) {
  const RenderedMessage message = read_outbox_payload(payload);
  std::string text = with_channel_links(message.text);
  boost::system::error_code ec;
  json::value blocks = json::parse(with_channel_links(message.blocks), ec);
  if (ec || !blocks.is_array() || blocks.as_array().empty()) return {text, text_blocks(text)};
  return {std::move(text), std::move(blocks.as_array())};
}

// "#inc-3-checkout-down" becomes a link once Slack has given that channel an id.
std::string SlackDelivery::with_channel_links(std::string text) {
  std::size_t at = 0;
  while ((at = text.find('#', at)) != std::string::npos) {
    std::size_t end = at + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_'))
      ++end;
    const auto id = end > at + 1 ? store::channel_id(db_, "slack", text.substr(at + 1, end - at - 1)) : std::nullopt;
    if (id) {
      const std::string link = "<#" + *id + ">";
      text.replace(at, end - at, link);
      at += link.size();
    } else {
      at = end;
    }
  }
  return text;
}

asio::awaitable<SlackDelivery::Result> SlackDelivery::post_card(const store::OutboxRow& row, const Incident& incident,
                                                                std::string& ref, std::string& error) {
  auto [text, blocks] = message_of(row.payload);
  if (blocks.size() >= 50) blocks.resize(49);  // room for the buttons
  blocks.push_back(card_actions(incident.number));
  if (const auto card = store::card_message(db_, "slack", incident.number)) {
    const auto updated = co_await api_.update_message(card->channel_id, card->message_id, text, blocks);
    if (updated.disposition != Disposition::post_new) co_return judge(updated, error);
  }
  const std::string channel = co_await incident_channel(incident, error);
  if (channel.empty()) co_return error.empty() || error == "name_taken" ? Result::abandoned : Result::retry_later;
  const auto posted = co_await post_joining(channel, text, blocks);
  if (!posted.ok()) co_return judge(posted.result, error);
  ref = posted.value;
  store::remember_card(db_, "slack", incident.number, store::CardMessage{channel, posted.value});
  const auto pinned = co_await api_.pin(channel, posted.value);
  if (!pinned.succeeded()) logger_->warn("{}: card not pinned: {}", incident_id(incident.number), pinned.error);
  co_return Result::delivered;
}

asio::awaitable<ApiValue<std::string>> SlackDelivery::post_joining(const std::string& channel, const std::string& text,
                                                                  const json::array& blocks) {
  auto posted = co_await api_.post_message(channel, text, blocks);
  if (posted.result.disposition != Disposition::join_channel) co_return posted;
  json::object join;  // a public channel the bot is not in yet: join it, then post again
  join["channel"] = channel;
  const auto joined = co_await api_.call("conversations.join", std::move(join));
  if (joined.ok) posted = co_await api_.post_message(channel, text, blocks);
  co_return posted;
}

asio::awaitable<SlackDelivery::Result> SlackDelivery::deliver(const store::OutboxRow& row, std::string& ref,
                                                              std::string& error) {
  if (row.kind == "card") {
    const auto incident = store::load_incident(db_, row.incident);
    if (!incident) co_return Result::abandoned;
    co_return co_await post_card(row, *incident, ref, error);
  }
  const std::string channel = co_await destination(row, error);
  if (channel.empty()) co_return Result::retry_later;
  if (row.kind == "invite") {
    if (!options_.incident_channels) co_return Result::delivered;
    co_return judge(co_await api_.invite(channel, std::vector<std::string>(1, row.payload)), error);
  }
  if (row.kind == "topic") {
    if (!options_.incident_channels) co_return Result::delivered;
    co_return judge(co_await api_.set_topic(channel, row.payload.substr(0, topic_limit)), error);
  }
  if (row.kind == "ephemeral") {
    const auto newline = row.payload.find('\n');
    auto [text, blocks] = message_of(row.payload.substr(newline + 1));
    const auto posted = co_await api_.post_ephemeral(channel, row.payload.substr(0, newline), text, blocks);
    co_return judge(posted.result, error);
  }
  auto [text, blocks] = message_of(row.payload);
  const auto posted = co_await post_joining(channel, text, blocks);
  if (posted.ok()) ref = posted.value;
  co_return judge(posted.result, error);
}

}  // namespace incident_bot::bot
