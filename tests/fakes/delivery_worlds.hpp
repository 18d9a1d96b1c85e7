#pragma once
// One chat's stand-in with the bot delivering to it, driven the same way for every chat, so that a
// delivery test is written once and run per chat:
//
//   for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
//     auto world = chat.make();
//     world->start();
//     world->fail_posts(3);
//     const auto id = world->enqueue_notice(world->announce_channel(), "first");
//     world->wake();
//     ...
//     REQUIRE(world->wait_until_delivered(id, 5s));
//   }
//
// The announcement channel is an existing channel of the chat ("C0INCIDENTS" on Slack, "incidents"
// on Mattermost). The bot's store is read and written on the bot's own thread.
#include "fakes/mattermost_server.hpp"
#include "fakes/running_bot.hpp"
#include "fakes/slack_api_server.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace incident_bot::fakes {

// A message as the stand-in keeps it: its text (as last edited) and the outbox id it carries (0: none).
struct ChatMessage {
  std::string text;
  std::int64_t outbox_id = 0;
};

class DeliveryWorld {
 public:
  virtual ~DeliveryWorld() = default;

  virtual std::string chat() const = 0;              // the outbox's platform: "slack", "mattermost"
  virtual std::string announce_channel() const = 0;  // as the rows name it
  // The bot, on its temporary store; `adjust` changes its configuration first.
  void start(const std::function<void(bot::Config&)>& adjust = {}, std::shared_ptr<spdlog::logger> logger = nullptr);
  RunningBot& bot() { return *bot_; }

  // A person types `text` in a general channel; any command wakes the bot's delivery.
  virtual void command(const std::string& text) = 0;
  void wake() { command("help"); }
  // A notice row written into the store as a command writes it; the bot is not woken.
  std::int64_t enqueue_notice(const std::string& channel, const std::string& text);

  // Scripts for the chat's next calls. A refusal is a permanent error (a missing scope, a 403): its
  // script returns the chat's word for it, as a failed row's error shows it.
  virtual std::string refuse_posts(int count) = 0;
  virtual void fail_posts(int count) = 0;  // a 5xx
  virtual void drop_posts(int count) = 0;  // made, but the answer never comes
  virtual std::string refuse_channel_creation() = 0;
  virtual void fail_channel_creation(int count) = 0;  // a 5xx
  virtual void drop_channel_creation() = 0;
  virtual void fail_post_lookups(int count) = 0;     // a 5xx reading a channel's recent posts
  virtual void fail_channel_lookups(int count) = 0;  // a 5xx finding a channel by name

  // What the stand-in shows.
  virtual std::size_t post_calls() const = 0;
  virtual std::vector<ChatMessage> messages_in(const std::string& channel) const = 0;  // a name or an id; oldest first
  virtual std::size_t channels_created() const = 0;  // channels the bot made that the chat now holds
  virtual std::vector<std::string> channel_names_asked() const = 0;  // by every creation call, in order
  bool wait_for_posts(const std::string& channel, std::size_t count, std::chrono::milliseconds timeout) const;
  bool wait_for_post_calls(std::size_t count, std::chrono::milliseconds timeout) const;

  // The store, read on the bot's thread.
  std::optional<store::OutboxRow> row(std::int64_t id);
  std::vector<store::OutboxListing> undelivered();  // open and failed rows, by id
  std::vector<store::OutboxRow> failed_rows();
  bool delivered(std::int64_t id);
  bool wait_until_delivered(std::int64_t id, std::chrono::milliseconds timeout);
  bool wait_until_settled(std::chrono::milliseconds timeout);  // every row delivered or failed
  std::string incident_channel_id(const std::string& name);  // "" until the bot made that channel

  // For the bot run as a child process: its configuration (JSON members, without braces) and secrets.
  virtual std::string child_config() const = 0;
  virtual std::vector<std::pair<std::string, std::string>> child_environment() const = 0;
  // A command sent to a bot listening on `port`, whose clock reads `now`; the HTTP status.
  virtual int command_to(unsigned short port, const std::string& text, Timestamp now) const = 0;

 protected:
  virtual bot::Config config() const = 0;
  virtual bot::Secrets secrets() const = 0;

  std::unique_ptr<RunningBot> bot_;
};

// Slack: slash commands over HTTP, signed; posts through the Web API stand-in.
class SlackDeliveryWorld final : public DeliveryWorld {
 public:
  static constexpr const char* signing_secret = "delivery-signing-secret";
  static constexpr const char* bot_token = "xoxb-delivery-token";

  ~SlackDeliveryWorld() override { bot_.reset(); }
  std::string chat() const override { return "slack"; }
  std::string announce_channel() const override { return "C0INCIDENTS"; }
  void command(const std::string& text) override;
  std::string refuse_posts(int count) override {
    api.answer_error("chat.postMessage", count, "restricted_action");
    return "restricted_action";
  }
  void fail_posts(int count) override { api.answer_http_status("chat.postMessage", count, 503); }
  void drop_posts(int count) override { api.answer_dropped("chat.postMessage", count); }
  std::string refuse_channel_creation() override {
    api.answer_error("conversations.create", 1, "missing_scope");
    return "missing_scope";
  }
  void fail_channel_creation(int count) override { api.answer_http_status("conversations.create", count, 503); }
  void drop_channel_creation() override { api.answer_dropped("conversations.create", 1); }
  void fail_post_lookups(int count) override { api.answer_http_status("conversations.history", count, 503); }
  void fail_channel_lookups(int count) override { api.answer_http_status("conversations.list", count, 503); }
  std::size_t post_calls() const override { return api.count("chat.postMessage"); }
  std::vector<ChatMessage> messages_in(const std::string& channel) const override;
  std::size_t channels_created() const override;  // as conversations.list shows them
  std::vector<std::string> channel_names_asked() const override;
  std::string child_config() const override;
  std::vector<std::pair<std::string, std::string>> child_environment() const override;
  int command_to(unsigned short port, const std::string& text, Timestamp now) const override;

  SlackApiServer api;

 protected:
  bot::Config config() const override;
  bot::Secrets secrets() const override;
};

// Mattermost: slash commands with the command token; posts through the REST API stand-in.
class MattermostDeliveryWorld final : public DeliveryWorld {
 public:
  static constexpr const char* command_token = "mm-delivery-command-token";
  static constexpr const char* bot_token = "mm-delivery-bot-token";
  static std::string team() { return mattermost_id("teamacme"); }
  static std::string general() { return mattermost_id("townsquare"); }
  static std::string announcements() { return mattermost_id("announce"); }
  static std::string alice() { return mattermost_id("alice"); }

  MattermostDeliveryWorld();
  ~MattermostDeliveryWorld() override { bot_.reset(); }
  std::string chat() const override { return "mattermost"; }
  std::string announce_channel() const override { return "incidents"; }
  void command(const std::string& text) override;
  // The stand-in answers a scripted status with the error id fake.server_error.
  std::string refuse_posts(int count) override {
    server.answer_http_status("POST /posts", count, 403);
    return "fake.server_error";
  }
  void fail_posts(int count) override { server.answer_http_status("POST /posts", count, 502); }
  void drop_posts(int count) override { server.answer_dropped("POST /posts", count); }
  std::string refuse_channel_creation() override {
    server.answer_http_status("POST /channels", 1, 403);
    return "fake.server_error";
  }
  void fail_channel_creation(int count) override { server.answer_http_status("POST /channels", count, 502); }
  void drop_channel_creation() override { server.answer_dropped("POST /channels", 1); }
  void fail_post_lookups(int count) override { server.answer_http_status("GET /channels/{id}/posts", count, 502); }
  void fail_channel_lookups(int count) override {
    server.answer_http_status("GET /teams/{id}/channels/name/{name}", count, 502);
  }
  std::size_t post_calls() const override { return server.count("POST /posts"); }
  std::vector<ChatMessage> messages_in(const std::string& channel) const override;
  std::size_t channels_created() const override;  // POST /channels calls that took effect
  std::vector<std::string> channel_names_asked() const override;
  std::string child_config() const override;
  std::vector<std::pair<std::string, std::string>> child_environment() const override;
  int command_to(unsigned short port, const std::string& text, Timestamp now) const override;

  MattermostServer server{{.token = bot_token}};

 protected:
  bot::Config config() const override;
  bot::Secrets secrets() const override;
};

// The outbox row id a Slack message (or a chat.postMessage body) carries in its metadata; 0: none.
std::int64_t slack_outbox_id(const boost::json::object& message);

// Polls `done` every 20 ms until it holds; false once `timeout` has passed.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout);

struct DeliveryChat {
  std::string name;
  std::function<std::unique_ptr<DeliveryWorld>()> make;
};

// Slack and Mattermost, for a test written once and run for each.
const std::vector<DeliveryChat>& delivery_chats();

}  // namespace incident_bot::fakes
