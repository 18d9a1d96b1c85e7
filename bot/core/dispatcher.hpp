#pragma once
// The one path every platform's command takes: dedupe, parse, address, decide, store, render.
#include "bot/core/platform.hpp"
#include "commands/command.hpp"
#include "templates/render.hpp"
#include "workflows/addressing.hpp"
#include "workflows/outcome.hpp"

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <memory>
#include <optional>
#include <string>
#include <variant>

namespace incident_bot::bot {

struct Invocation {
  std::string channel;      // where the command was typed
  UserId user;
  std::string text;         // what follows the slash command's name
  std::string delivery_id;  // the platform's id for this delivery; empty when it has none
  bool reply_as_post = false;  // a button, a modal or a mention has no reply slot: the reply becomes a post
  std::optional<commands::Parsed> parsed;  // a command a form gave field by field: used instead of parsing text
};


// What became of the command: adapters answer by this, never by searching the text.
enum class ReplyKind {
  ok,
  usage_error,  // the text is not a command: the reply is the error with the verb's usage
  refused,      // no incident was addressed, or the workflow refused; nothing changed
};

struct Reply {
  workflows::Visibility visibility = workflows::Visibility::ephemeral;
  std::string text;    // in the platform's markup
  std::string blocks;  // Block Kit JSON array, for the chats that have it
  ReplyKind kind = ReplyKind::ok;
};

class Dispatcher {
 public:
  // library: the templates checked at start-up; null renders with the built-in ones.
  Dispatcher(SQLite::Database& db, workflows::Policy policy, PlatformTraits platform,
             std::shared_ptr<spdlog::logger> logger, std::shared_ptr<const templates::Library> library = nullptr);

  // One transaction: the state change, its timeline, its posts and the delivery id commit together.
  Reply handle(const Invocation& invocation, Timestamp now);

  const workflows::Policy& policy() const { return policy_; }
  const PlatformTraits& platform() const { return platform_; }

  // The incident a command addresses (workflows::address over the store); a refusal in the platform's markup.
  workflows::Addressed address(const Invocation& invocation, std::optional<std::int64_t> written);

 private:
  Reply decide(const Invocation& invocation, Timestamp now);
  templates::RenderContext render_context(const Incident* incident, Timestamp now) const;
  void enqueue(const std::string& channel, workflows::PostKind kind, std::int64_t incident, std::string payload, Timestamp now);
  void enqueue_chat_upkeep(const Incident* before, const workflows::Outcome& outcome, Timestamp now);

  SQLite::Database& db_;
  workflows::Policy policy_;
  PlatformTraits platform_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<const templates::Library> library_;
};

}  // namespace incident_bot::bot
