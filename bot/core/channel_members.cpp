#include "bot/core/channel_members.hpp"

#include "bot/core/group_commit.hpp"
#include "commands/parse.hpp"
#include "store/store.hpp"
#include "workflows/handle.hpp"

#include <boost/asio/co_spawn.hpp>

namespace incident_bot::bot {

namespace asio = boost::asio;

ChannelMembers::ChannelMembers(asio::any_io_executor executor, SQLite::Database& db, ChatTranslator* chat,
                               std::string platform, Clock clock, std::shared_ptr<spdlog::logger> logger,
                               Seconds keep_for)
    : executor_(std::move(executor)), db_(db), chat_(chat), platform_(std::move(platform)), clock_(std::move(clock)),
      logger_(std::move(logger)), keep_for_(keep_for) {}

std::vector<store::PrivateChannel> ChannelMembers::reachable(const Invocation& invocation) {
  const auto parsed = invocation.parsed ? commands::ParseResult(*invocation.parsed) : commands::parse(invocation.text);
  std::optional<std::int64_t> written;
  if (const auto* command = std::get_if<commands::Parsed>(&parsed)) {
    // declare and help reach no incident; list and a command without INC-N may reach every open one.
    if (std::holds_alternative<commands::Declare>(command->command) || std::holds_alternative<commands::Help>(command->command))
      return {};
    if (workflows::needs_incident(command->command)) written = command->incident;
  }
  auto channels = store::private_channels(db_, platform_, written);
  std::erase_if(channels, [&](const store::PrivateChannel& channel) { return channel.channel_id == invocation.channel; });
  return channels;
}

void ChannelMembers::learn(Invocation invocation, std::function<void(Invocation)> then) {
  std::vector<store::PrivateChannel> unknown;
  try {
    const Timestamp now = clock_();
    for (auto& channel : reachable(invocation)) {
      const auto kept = kept_.find(channel.channel_id);
      if (kept == kept_.end() || kept->second.until <= now) {
        unknown.push_back(std::move(channel));
      } else if (kept->second.members.contains(invocation.user)) {
        invocation.member_of.push_back(channel.incident);
      }
    }
  } catch (const std::exception& error) {  // the store could not be read: the command finds out for itself
    logger_->error("{}: the private incidents' channels could not be read: {}", platform_, error.what());
  }
  if (unknown.empty()) return then(std::move(invocation));
  auto asked = ask_all(invocation, std::move(unknown));
  asio::co_spawn(executor_, std::move(asked),
                 [this, invocation, then = std::move(then)](std::exception_ptr escaped, Invocation learned) mutable {
                   if (!escaped) return then(std::move(learned));
                   logger_->error("{}: asking who is in a channel failed: {}", platform_, describe_failure(escaped));
                   then(std::move(invocation));  // membership unknown: nobody is let in by it
                 });
}

asio::awaitable<Invocation> ChannelMembers::ask_all(Invocation invocation, std::vector<store::PrivateChannel> unknown) {
  for (const auto& channel : unknown) {
    const auto members = co_await ask(channel.channel_id);
    if (members && members->contains(invocation.user)) invocation.member_of.push_back(channel.incident);
  }
  co_return invocation;
}

asio::awaitable<std::optional<std::set<std::string>>> ChannelMembers::ask(std::string channel_id) {
  if (!chat_) {
    logger_->warn("{}: no API to ask who is in channel {}: only role holders and declarers see its private incident",
                  platform_, channel_id);
    co_return std::nullopt;
  }
  const ChatAnswer answer = co_await chat_->channel_members(channel_id);
  if (!answer.ok()) {
    logger_->warn("{}: could not learn who is in channel {} ({}): its members are refused for now", platform_, channel_id,
                  answer.error.empty() ? "no answer" : answer.error);
    co_return std::nullopt;
  }
  std::set<std::string> members(answer.values.begin(), answer.values.end());
  kept_[channel_id] = Kept{clock_() + keep_for_, members};
  co_return members;
}

}  // namespace incident_bot::bot
