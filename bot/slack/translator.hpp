#pragma once
// Delivers the Slack outbox: posts in order, incident channels created on first use, the card
// pinned and then edited in place, invites and topics kept in step. Never on the ack path.
#include "bot/core/delivery.hpp"
#include "bot/slack/api.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <boost/json/array.hpp>

#include <functional>
#include <memory>

namespace incident_bot::bot {

struct SlackDeliveryOptions {
  bool incident_channels = true;            // slack.incident_channels
  Seconds idle_poll = 30;                   // look again this often even when nobody wakes the loop
  std::function<Timestamp()> clock;
};

class SlackDelivery final : public Chat {
 public:
  SlackDelivery(boost::asio::io_context& io, SQLite::Database& db, SlackApi& api, SlackDeliveryOptions options,
                std::shared_ptr<spdlog::logger> logger);

  void start() { loop_.start(); }
  void stop() { loop_.stop(); }
  void wake() { loop_.wake(); }  // posts are waiting

  const PlatformTraits& traits() const override { return traits_; }
  boost::asio::awaitable<Delivery> deliver(const store::OutboxRow& row) override;

 private:
  using Result = DeliveryResult;
  boost::asio::awaitable<Result> deliver(const store::OutboxRow& row, std::string& message_ref, std::string& error);
  boost::asio::awaitable<std::string> incident_channel(const Incident& incident, std::string& error);
  boost::asio::awaitable<std::string> destination(const store::OutboxRow& row, std::string& error);
  boost::asio::awaitable<Result> post_card(const store::OutboxRow& row, const Incident& incident, std::string& ref,
                                           std::string& error);
  boost::asio::awaitable<ApiValue<std::string>> post_joining(const std::string& channel, const std::string& text,
                                                             const boost::json::array& blocks);
  std::string with_channel_links(std::string text);
  // The text and blocks of an outbox payload, incident channel names turned into links.
  std::pair<std::string, boost::json::array> message_of(const std::string& payload);
  Result judge(const ApiResult& result, std::string& error) const;

  SQLite::Database& db_;
  SlackApi& api_;
  SlackDeliveryOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  PlatformTraits traits_;
  OutboxLoop loop_;
};

// Block Kit for a mrkdwn text: sections of at most 3000 characters, split at line ends.
boost::json::array text_blocks(const std::string& text);
// The card's buttons: "Post update" and "I'll be comms lead".
boost::json::object card_actions(std::int64_t incident);

}  // namespace incident_bot::bot
