#pragma once
// Slack behind the delivery engine's chat interface: Web API calls in, ChatAnswers out. Posts
// carry their outbox id in the message metadata; channel names in a text become <#C…> links.
#include "bot/core/chat.hpp"
#include "bot/slack/api.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <SQLiteCpp/Database.h>

namespace incident_bot::bot {

// The bot never broadcasts: every "text" inside Slack blocks gets markup::disarm_broadcasts.
void disarm_block_broadcasts(boost::json::value& blocks);

class SlackTranslator final : public ChatTranslator {
 public:
  SlackTranslator(SQLite::Database& db, SlackApi& api, bool incident_channels);

  const PlatformTraits& traits() const override { return traits_; }
  std::string channel_name(const Incident& incident, int attempt) const override;
  boost::asio::awaitable<ChatAnswer> create_channel(std::string name, Incident incident) override;
  boost::asio::awaitable<ChatAnswer> find_channel(std::string name) override;
  boost::asio::awaitable<ChatAnswer> post(OutgoingPost post) override;
  boost::asio::awaitable<ChatAnswer> direct(OutgoingPost post) override;
  boost::asio::awaitable<ChatAnswer> find_post(OutgoingPost post, bool direct) override;
  boost::asio::awaitable<ChatAnswer> edit(std::string channel_id, std::string message_ref, OutgoingPost post) override;
  boost::asio::awaitable<ChatAnswer> pin(std::string channel_id, std::string message_ref) override;
  boost::asio::awaitable<ChatAnswer> invite(std::string channel_id, std::string user) override;
  boost::asio::awaitable<ChatAnswer> set_topic(std::string channel_id, std::string topic) override;
  boost::asio::awaitable<ChatAnswer> ephemeral(std::string channel, std::string user, RenderedMessage message) override;
  boost::asio::awaitable<ChatAnswer> channel_members(std::string channel_id) override;

 private:
  std::string with_channel_links(std::string text) const;
  // The text and blocks of a message, channel names turned into links; the card gets its buttons.
  std::pair<std::string, boost::json::array> message_of(const OutgoingPost& post) const;

  SQLite::Database& db_;
  SlackApi& api_;
  PlatformTraits traits_;
};

// The card's buttons: "Post update" and "I'll be comms lead".
boost::json::object card_actions(std::int64_t incident);

}  // namespace incident_bot::bot
