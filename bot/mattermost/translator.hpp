#pragma once
// Mattermost behind the delivery engine's chat interface: REST API v4 calls in, ChatAnswers out.
// Channels are made in the configured team; posts carry their outbox id in a prop; mentions the
// core wrote as ids read "@username"; posts are cut, visibly, at Mattermost's length limit.
#include "bot/core/chat.hpp"
#include "bot/mattermost/api.hpp"

#include <SQLiteCpp/Database.h>

namespace incident_bot::bot {

// A post's or a command reply's text within Mattermost's 16,383 characters, cut visibly past it.
std::string within_message_limit(std::string text);

class MattermostTranslator final : public ChatTranslator {
 public:
  MattermostTranslator(SQLite::Database& db, MattermostApi& api, std::string team_id);

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
  // A channel id for an id, "name", "#name" or "~name"; the channel of a direct post for a person.
  boost::asio::awaitable<ApiValue<std::string>> channel_id(std::string channel, bool direct);
  // "@<id>" mentions as "@username": from the store, else asked of the server and remembered.
  boost::asio::awaitable<std::string> with_names(std::string text);

  SQLite::Database& db_;
  MattermostApi& api_;
  std::string team_id_;
  PlatformTraits traits_;
};

// A Mattermost channel name from the core's: at most 64 characters, lowercase letters, digits, '-' and '_'.
std::string mattermost_channel_name(std::string_view name);

}  // namespace incident_bot::bot
