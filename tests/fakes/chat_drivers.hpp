#pragma once
// Every chat the bot speaks, driven the same way: a person types a command, the chat shows a reply
// and posts. The conformance suite runs one incident script through each driver and compares.
//
//   fakes::ChatCast cast{{"alice", "bob"}, "inc-1-checkout-down"};
//   fakes::SlackSocketModeDriver chat(cast);
//   const auto said = chat.command("alice", "declare Checkout down sev2");
//   chat.settle();                     // the outbox is delivered
//   for (const auto& post : chat.received()) …
//
// ConsoleDriver runs a Console in this thread; the others run the bot's Runtime on its own thread
// (RunningBot) with the chat's stand-in: SlackApiServer (HTTP slash commands, or Socket Mode
// envelopes through SocketModeServer) or MattermostServer. Failures are thrown as exceptions.
#include "bot/console/console.hpp"
#include "bot/core/platform.hpp"
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"
#include "fakes/socket_mode_server.hpp"

#include <boost/json/value.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace incident_bot::fakes {

// Who takes part, by the names a script uses, and the name its incident's own channel gets.
struct ChatCast {
  std::vector<std::string> people;
  std::string incident_channel;
  Timestamp start = 1'795'000'000;
};

struct Said {
  bool in_channel = false;
  std::string text;  // in the chat's markup
};

struct ChatPost {
  std::string channel;  // a channel name: the incident's, or "incidents" for announcements
  std::string text;     // in the chat's markup
};

// A chat as the suite drives it.
class ChatDriver {
 public:
  explicit ChatDriver(ChatCast cast) : cast_(std::move(cast)) {}
  virtual ~ChatDriver() = default;
  ChatDriver(const ChatDriver&) = delete;
  ChatDriver& operator=(const ChatDriver&) = delete;

  virtual bot::PlatformTraits traits() const = 0;
  virtual std::string id_of(const std::string& person) const = 0;
  // `text` as `person` types it in a general channel; "@name" is written the chat's way.
  virtual Said command(const std::string& person, const std::string& text) = 0;
  virtual void settle() = 0;                     // until the chat's outbox is delivered
  virtual std::vector<ChatPost> received() = 0;  // what the chat shows, besides replies; cards as last edited
  virtual std::vector<std::string> members() { return {}; }  // who was added to the incident channel, by person
  virtual SQLite::Database& db() = 0;            // read on the bot's own thread through read()
  virtual void read(const std::function<void()>& work) { work(); }
  // The chat's markup as plain text: ids as @person, channel ids as #name. Markdown and plain text
  // are read as they are: only mrkdwn has tokens and escapes to undo.
  virtual std::string plain(const std::string& text) const;

  const ChatCast& cast() const { return cast_; }
  std::string person_of(const std::string& id) const;  // "?id" for an id nobody in the cast has
  std::string with_people(std::string text) const;     // "@id" as "@person"

 private:
  ChatCast cast_;
};

class ConsoleDriver final : public ChatDriver {
 public:
  explicit ConsoleDriver(ChatCast cast);
  bot::PlatformTraits traits() const override { return bot::console_platform(); }
  std::string id_of(const std::string& person) const override { return person; }
  SQLite::Database& db() override { return db_; }
  Said command(const std::string& person, const std::string& text) override;
  void settle() override {}
  std::vector<ChatPost> received() override { return posts_; }

 private:
  incident_bot::store::Connection db_;
  bot::Dispatcher dispatcher_;
  bot::Console console_;
  std::vector<ChatPost> posts_;
};

// The bot's Runtime on its thread, with a chat stand-in; the outbox is drained before reading.
// Each driver stops the bot in its destructor, before its stand-ins go away.
class RuntimeDriver : public ChatDriver {
 public:
  using ChatDriver::ChatDriver;
  SQLite::Database& db() override { return bot_->runtime().db(); }
  void read(const std::function<void()>& work) override { bot_->on_bot_thread(work); }
  void settle() override;

 protected:
  // A slash command's answer, {"response_type", "text", …}, as the chat shows it.
  static Said said_of(const boost::json::value& reply);
  std::unique_ptr<RunningBot> bot_;
};

// What both Slack transports share: the Web API stand-in the bot posts to with its bot token,
// Slack's user ids, and how posts, card edits and invitations are read back from the calls.
class SlackDriver : public RuntimeDriver {
 public:
  static constexpr const char* bot_token = "xoxb-conformance-token";

  ~SlackDriver() override { bot_.reset(); }
  bot::PlatformTraits traits() const override { return bot::slack_platform(true); }
  std::string id_of(const std::string& person) const override;  // "bob" -> "U0BOB"
  std::vector<ChatPost> received() override;
  std::vector<std::string> members() override;
  std::string plain(const std::string& text) const override;

 protected:
  explicit SlackDriver(ChatCast cast);
  // The command text as Slack sends it: & < > escaped, "@name" as <@U…|name> ("escape users" on).
  std::string as_slack_sends(const std::string& text) const;
  bot::Config config() const;  // slack.api_url pointing at the Web API stand-in

  SlackApiServer api_;

 private:
  std::string channel_name(const std::string& id) const;
};

// Slash commands over HTTP, signed with the signing secret; the reply is the response body.
class SlackHttpDriver final : public SlackDriver {
 public:
  explicit SlackHttpDriver(ChatCast cast);
  Said command(const std::string& person, const std::string& text) override;
};

// Slash commands as slash_commands envelopes over Socket Mode: the bot opens the connection through
// apps.connections.open with its app token; the reply is the payload of the envelope's ack.
class SlackSocketModeDriver final : public SlackDriver {
 public:
  explicit SlackSocketModeDriver(ChatCast cast);
  ~SlackSocketModeDriver() override { bot_.reset(); }
  Said command(const std::string& person, const std::string& text) override;

 private:
  SocketModeServer socket_;
  int envelopes_ = 0;
};

class MattermostDriver final : public RuntimeDriver {
 public:
  explicit MattermostDriver(ChatCast cast);
  ~MattermostDriver() override { bot_.reset(); }
  bot::PlatformTraits traits() const override { return bot::mattermost_platform(true); }
  std::string id_of(const std::string& person) const override { return mattermost_id(person); }
  Said command(const std::string& person, const std::string& text) override;
  std::vector<ChatPost> received() override;
  std::vector<std::string> members() override;

 private:
  MattermostServer server_{{.token = "bot-token"}};
};

}  // namespace incident_bot::fakes
