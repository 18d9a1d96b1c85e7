#pragma once
// The one path every platform's command takes: dedupe, parse, address, decide, store, render.
#include "bot/core/chat_profile.hpp"
#include "bot/core/effects.hpp"
#include "bot/core/platform.hpp"
#include "bot/core/store_directory.hpp"
#include "commands/command.hpp"
#include "templates/render.hpp"
#include "workflows/access.hpp"
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
  // The private incidents whose channel the chat said the user is in, asked before the command was queued
  // (bot/core/channel_members.hpp); the user counts as in no other incident's channel.
  std::vector<std::int64_t> member_of;
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
  Dispatcher(SQLite::Database& db, std::shared_ptr<const ChatProfile> profile, std::shared_ptr<spdlog::logger> logger);
  // A profile of its own, for a chat built on the spot (tests, the console); library null: the built-in templates.
  Dispatcher(SQLite::Database& db, workflows::Policy policy, PlatformTraits platform,
             std::shared_ptr<spdlog::logger> logger, std::shared_ptr<const templates::Library> library = nullptr);

  // One transaction: the state change, its timeline, its posts and the delivery id commit together.
  Reply handle(const Invocation& invocation, Timestamp now);
  // The same inside the caller's transaction (a group commit's savepoint): a redelivered id gets the first answer,
  // also when the first is earlier in the same batch.
  Reply handle_in_transaction(const Invocation& invocation, Timestamp now);

  const workflows::Policy& policy() const { return profile_->policy; }
  const PlatformTraits& platform() const { return profile_->traits; }
  const std::shared_ptr<const ChatProfile>& profile() const { return profile_; }

  // The incident a command addresses (workflows::address over the incidents the user may see, workflows/access.hpp);
  // a refusal in the platform's markup.
  workflows::Addressed address(const Invocation& invocation, std::optional<std::int64_t> written);

 private:
  Reply decide(const Invocation& invocation, Timestamp now);
  // What the store and the invocation tell of the user and a private incident.
  workflows::AccessFacts access_facts(const Invocation& invocation, const Incident& incident);
  workflows::VisibleIncidents visible_to(const Invocation& invocation, const StoreIncidentDirectory& all);

  SQLite::Database& db_;
  std::shared_ptr<const ChatProfile> profile_;
  std::shared_ptr<spdlog::logger> logger_;
  EffectsWriter effects_;
};

}  // namespace incident_bot::bot
