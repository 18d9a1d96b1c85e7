#pragma once
// Who is in the channels of private incidents, asked of the chat before a command is queued and kept
// a short while: the dispatcher decides inside its transaction, where no network call may be made, and
// reads the answer from the Invocation. A chat that cannot answer lets nobody in by membership.
#include "bot/core/chat.hpp"
#include "bot/core/dispatcher.hpp"
#include "store/store.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace incident_bot::bot {

class ChannelMembers {
 public:
  using Clock = std::function<Timestamp()>;
  static constexpr Seconds keep_for_default = 60;

  // chat: the chat's API; null when the bot has no token for it (every lookup then fails, and is logged).
  ChannelMembers(boost::asio::any_io_executor executor, SQLite::Database& db, ChatTranslator* chat,
                 std::string platform, Clock clock, std::shared_ptr<spdlog::logger> logger,
                 Seconds keep_for = keep_for_default);

  // Fills invocation.member_of with the private incidents the command may reach whose channel the user is in,
  // then hands it on: at once when the chat need not be asked (nothing private, or every answer kept), else on
  // the executor once it has answered. `then` is called exactly once.
  void learn(Invocation invocation, std::function<void(Invocation)> then);

 private:
  struct Kept {
    Timestamp until = 0;
    std::set<std::string> members;
  };
  // The channels of the private incidents this command may reach, but the one it was typed in.
  std::vector<store::PrivateChannel> reachable(const Invocation& invocation);
  // The channel's members, asked of the chat; nullopt when it could not say.
  boost::asio::awaitable<std::optional<std::set<std::string>>> ask(std::string channel_id);
  boost::asio::awaitable<Invocation> ask_all(Invocation invocation, std::vector<store::PrivateChannel> unknown);

  boost::asio::any_io_executor executor_;
  SQLite::Database& db_;
  ChatTranslator* chat_;
  std::string platform_;
  Clock clock_;
  std::shared_ptr<spdlog::logger> logger_;
  Seconds keep_for_;
  std::map<std::string, Kept, std::less<>> kept_;  // by channel id
};

}  // namespace incident_bot::bot
