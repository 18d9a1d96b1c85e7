#pragma once
// One core, several chats. The Dispatcher, the workflows and the scheduler never ask which chat
// they serve: a chat is its PlatformTraits (how a message is rendered for it) and a Chat that
// delivers the outbox rows written for it. Inbound, each chat's adapter (SlackHttp, MattermostHttp,
// the Console) turns its requests into Invocations for a Dispatcher built with that chat's traits.
// Implemented by SlackDelivery, MattermostDelivery and Console.
#include "bot/core/platform.hpp"
#include "store/store.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <string>

namespace incident_bot::bot {

enum class DeliveryResult { delivered, retry_later, abandoned };

struct Delivery {
  DeliveryResult result = DeliveryResult::abandoned;
  std::string message_ref;  // the chat's id of what was posted, when there is one
  std::string error;        // why not delivered
};

class Chat {
 public:
  virtual ~Chat() = default;
  virtual const PlatformTraits& traits() const = 0;
  // Carries one outbox row to the chat. Rows of one channel come in order, each once it is due.
  virtual boost::asio::awaitable<Delivery> deliver(const store::OutboxRow& row) = 0;
};

// The delay before a failed row is tried again: 2, 4, 8 … seconds, at most five minutes.
Seconds outbox_retry_delay(int attempts);

// Delivers a chat's outbox rows on the io_context, in order, each failure retried later; never on
// the ack path. Wakes when told posts are waiting, and every idle_poll seconds regardless.
class OutboxLoop {
 public:
  OutboxLoop(boost::asio::io_context& io, SQLite::Database& db, Chat& chat, std::function<Timestamp()> clock,
             std::shared_ptr<spdlog::logger> logger, Seconds idle_poll = 30);

  void start();
  void stop();
  void wake();  // posts are waiting

 private:
  boost::asio::awaitable<void> loop();

  boost::asio::io_context& io_;
  SQLite::Database& db_;
  Chat& chat_;
  std::function<Timestamp()> clock_;
  std::shared_ptr<spdlog::logger> logger_;
  Seconds idle_poll_;
  boost::asio::steady_timer wake_timer_;
  bool running_ = false;
};

}  // namespace incident_bot::bot
