#include "bot/slack/translator.hpp"

#include "bot/core/web_api_answer.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"
#include "workflows/broadcasts.hpp"

#include <boost/json.hpp>

#include <cctype>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;
using Status = ChatAnswer::Status;

namespace {

constexpr std::size_t channel_name_limit = 80;
constexpr std::size_t topic_limit = 250;
constexpr std::size_t blocks_limit = 50;

json::object button(std::string_view text, std::string_view action, std::int64_t incident) {
  return {{"type", "button"},
          {"text", {{"type", "plain_text"}, {"text", text}}},
          {"action_id", action},
          {"value", std::to_string(incident)}};
}

bool is_user_id(std::string_view channel) { return !channel.empty() && (channel.front() == 'U' || channel.front() == 'W'); }

// A Slack id (C…, G…, D…) rather than a channel name: names are lowercase, whatever an id's length.
bool is_conversation_id(std::string_view channel) {
  if (channel.size() < 2 || (channel.front() != 'C' && channel.front() != 'G' && channel.front() != 'D')) return false;
  for (const char c : channel)
    if (!std::isupper(static_cast<unsigned char>(c)) && !std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

void disarm_block_broadcasts(json::value& blocks) {
  if (auto* list = blocks.if_array()) {
    for (auto& item : *list) disarm_block_broadcasts(item);
  } else if (auto* object = blocks.if_object()) {
    for (auto& member : *object) {
      if (const auto* text = member.value().if_string(); text && member.key() == "text")
        member.value() = markup::disarm_broadcasts(std::string_view(text->data(), text->size()));
      else disarm_block_broadcasts(member.value());
    }
  }
}

json::object card_actions(std::int64_t incident) {
  return {{"type", "actions"},
          {"block_id", "incident_card_actions"},
          {"elements", json::array{button("Post update", "post_update", incident),
                                   button("I'll be comms lead", "take_comms", incident)}}};
}

SlackTranslator::SlackTranslator(SQLite::Database& db, SlackApi& api, bool incident_channels)
    : db_(db), api_(api), traits_(slack_platform(incident_channels)) {}

std::string SlackTranslator::channel_name(const Incident& incident, int attempt) const {
  if (attempt <= 1) return incident.channel.substr(0, channel_name_limit);
  const std::string suffix = "-" + std::to_string(attempt);
  return incident.channel.substr(0, channel_name_limit - suffix.size()) + suffix;
}

asio::awaitable<ChatAnswer> SlackTranslator::create_channel(std::string name, Incident incident) {
  const auto created = co_await api_.create_conversation(std::move(name), incident.is_private);
  co_return chat_answer(created.result, created.value);
}

asio::awaitable<ChatAnswer> SlackTranslator::find_channel(std::string name) {
  const auto found = co_await api_.channel_named(std::move(name));
  if (!found.ok()) co_return chat_answer(found.result);
  ChatAnswer answer = ChatAnswer::done(found.value.id);
  if (!found.value.id.empty()) {
    const auto me = co_await api_.bot_user_id();
    if (!me.ok()) co_return chat_answer(me.result);
    answer.made_by_this_bot = found.value.creator == me.value;
  }
  co_return answer;
}

// "#inc-3-checkout-down" becomes a link once Slack has given that channel an id.
std::string SlackTranslator::with_channel_links(std::string text) const {
  std::size_t at = 0;
  while ((at = text.find('#', at)) != std::string::npos) {
    std::size_t end = at + 1;
    while (end < text.size() && (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '-' || text[end] == '_'))
      ++end;
    const auto id = end > at + 1 ? store::channel_id(db_, "slack", text.substr(at + 1, end - at - 1)) : std::nullopt;
    const std::string link = id ? "<#" + *id + ">" : text.substr(at, end - at);
    text.replace(at, end - at, link);
    at += link.size();
  }
  return text;
}

std::pair<std::string, json::array> SlackTranslator::message_of(const OutgoingPost& post) const {
  std::string text = with_channel_links(markup::disarm_broadcasts(post.message.text));
  boost::system::error_code ec;
  json::value blocks = json::parse(with_channel_links(post.message.blocks), ec);
  if (ec || !blocks.is_array() || blocks.as_array().empty()) blocks = json::parse(templates::text_blocks(text), ec);
  disarm_block_broadcasts(blocks);
  json::array list = blocks.is_array() ? std::move(blocks.as_array()) : json::array{};
  if (post.card_of != 0) {
    if (list.size() >= blocks_limit) list.resize(blocks_limit - 1);  // room for the buttons
    list.push_back(card_actions(post.card_of));
  }
  return {std::move(text), std::move(list)};
}

asio::awaitable<ChatAnswer> SlackTranslator::post(OutgoingPost post) {
  auto [text, blocks] = message_of(post);
  auto posted = co_await api_.post_message(post.channel, text, blocks, post.row_id);
  if (posted.result.disposition == Disposition::join_channel) {
    // A public channel the bot is not in yet: join it, then post again.
    const auto joined = co_await api_.join(post.channel);
    if (!joined.succeeded()) co_return chat_answer(joined);
    posted = co_await api_.post_message(post.channel, text, blocks, post.row_id);
  }
  co_return chat_answer(posted.result, posted.value);
}

// chat.postMessage to a user id opens the direct conversation with them.
asio::awaitable<ChatAnswer> SlackTranslator::direct(OutgoingPost post) { co_return co_await this->post(std::move(post)); }

asio::awaitable<ChatAnswer> SlackTranslator::find_post(OutgoingPost post, bool direct) {
  std::string channel = post.channel;
  if (direct || is_user_id(channel)) {
    const auto opened = co_await api_.open_direct(channel);
    if (!opened.ok()) co_return chat_answer(opened.result);
    channel = opened.value;
  } else if (!is_conversation_id(channel)) {
    const auto named = co_await api_.channel_named(channel);
    if (!named.ok()) co_return chat_answer(named.result);
    if (named.value.id.empty()) co_return ChatAnswer::done();
    channel = named.value.id;
  }
  const auto found = co_await api_.find_post(channel, post.row_id);
  co_return chat_answer(found.result, found.value);
}

asio::awaitable<ChatAnswer> SlackTranslator::edit(std::string channel_id, std::string message_ref, OutgoingPost post) {
  auto [text, blocks] = message_of(post);
  co_return chat_answer(co_await api_.update_message(channel_id, message_ref, text, blocks), message_ref);
}

asio::awaitable<ChatAnswer> SlackTranslator::pin(std::string channel_id, std::string message_ref) {
  co_return chat_answer(co_await api_.pin(std::move(channel_id), std::move(message_ref)));
}

asio::awaitable<ChatAnswer> SlackTranslator::invite(std::string channel_id, std::string user) {
  co_return chat_answer(co_await api_.invite(std::move(channel_id), std::vector<std::string>(1, std::move(user))));
}

asio::awaitable<ChatAnswer> SlackTranslator::set_topic(std::string channel_id, std::string topic) {
  const std::string disarmed = markup::disarm_broadcasts(topic);
  co_return chat_answer(co_await api_.set_topic(std::move(channel_id), disarmed.substr(0, topic_limit)));
}

asio::awaitable<ChatAnswer> SlackTranslator::ephemeral(std::string channel, std::string user, RenderedMessage message) {
  auto [text, blocks] = message_of(OutgoingPost{channel, std::move(message), 0, 0});
  const auto posted = co_await api_.post_ephemeral(std::move(channel), std::move(user), text, blocks);
  co_return chat_answer(posted.result, posted.value);
}

asio::awaitable<ChatAnswer> SlackTranslator::channel_members(std::string channel_id) {
  auto members = co_await api_.channel_members(std::move(channel_id));
  ChatAnswer answer = chat_answer(members.result);
  if (answer.ok()) answer.values = std::move(members.value);
  co_return answer;
}

}  // namespace incident_bot::bot
