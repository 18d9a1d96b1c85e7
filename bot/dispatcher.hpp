#pragma once
// The one path every platform's command takes: dedupe, parse, address, decide, store, render.
#include "templates/render.hpp"
#include "workflows/outcome.hpp"

#include <SQLiteCpp/Database.h>
#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace incident_bot::bot {

struct Invocation {
  std::string platform;     // console, slack, mattermost
  std::string channel;      // where the command was typed
  UserId user;
  std::string text;         // what follows the slash command's name
  std::string delivery_id;  // the platform's id for this delivery; empty when it has none
};

struct Reply {
  workflows::Visibility visibility = workflows::Visibility::ephemeral;
  std::string text;  // in the platform's markup
};

class Dispatcher {
 public:
  // library: the templates checked at start-up; null renders with the built-in ones.
  Dispatcher(SQLite::Database& db, workflows::Policy policy, templates::Markup markup,
             std::shared_ptr<spdlog::logger> logger, std::shared_ptr<const templates::Library> library = nullptr);

  // One transaction: the state change, its timeline, its posts and the delivery id commit together.
  Reply handle(const Invocation& invocation, Timestamp now);

  const workflows::Policy& policy() const { return policy_; }

 private:
  Reply decide(const Invocation& invocation, Timestamp now);

  SQLite::Database& db_;
  workflows::Policy policy_;
  templates::Markup markup_;
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<const templates::Library> library_;
};

}  // namespace incident_bot::bot
