#pragma once
// Delivers the Mattermost outbox through REST API v4: the incident's channel created in the team
// on first use, members added as roles are given, the channel header kept on the live state, the
// card posted, pinned and then patched in place, announcements, reminders and direct messages.
// Mentions the core wrote as ids read "@username" here. Never on the ack path.
#include "bot/core/delivery.hpp"
#include "bot/mattermost/api.hpp"

#include <functional>

namespace incident_bot::bot {

struct MattermostDeliveryOptions {
  std::string team_id;                      // mattermost.team_id: where incident channels are made
  bool incident_channels = true;
  Seconds idle_poll = 30;
  std::function<Timestamp()> clock;
};

class MattermostDelivery final : public Chat {
 public:
  MattermostDelivery(boost::asio::io_context& io, SQLite::Database& db, MattermostApi& api,
                     MattermostDeliveryOptions options, std::shared_ptr<spdlog::logger> logger);

  void start() { loop_.start(); }
  void stop() { loop_.stop(); }
  void wake() { loop_.wake(); }  // posts are waiting

  const PlatformTraits& traits() const override { return traits_; }
  boost::asio::awaitable<Delivery> deliver(const store::OutboxRow& row) override;

 private:
  boost::asio::awaitable<Delivery> post_card(const store::OutboxRow& row, const Incident& incident);
  boost::asio::awaitable<Delivery> direct(const store::OutboxRow& row);
  // The channel id a row goes to; empty, with what to do about the row in `failure`, when there is none.
  boost::asio::awaitable<std::string> destination(const store::OutboxRow& row, Delivery& failure);
  boost::asio::awaitable<std::string> incident_channel(const Incident& incident, std::string& error);
  // "@<id>" mentions as "@username": from the store, else asked of the server and remembered.
  boost::asio::awaitable<std::string> with_names(std::string text);
  Delivery judge(const ApiResult& result, std::string message_ref = {}) const;

  SQLite::Database& db_;
  MattermostApi& api_;
  MattermostDeliveryOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  PlatformTraits traits_;
  OutboxLoop loop_;
};

// A Mattermost channel name from the core's: at most 64 characters, lowercase letters, digits, '-' and '_'.
std::string mattermost_channel_name(std::string_view name);

}  // namespace incident_bot::bot
