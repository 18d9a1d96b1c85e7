#pragma once
// The one effects writer: what a workflow decided is saved, its documents are rendered with the
// chat's own templates and markup, and its posts are enqueued — with the upkeep an incident's
// channel needs (invites, topic, the edited card). The dispatcher and the scheduler both use it,
// inside the caller's transaction.
#include "bot/core/chat_profile.hpp"
#include "store/store.hpp"
#include "workflows/outcome.hpp"

#include <SQLiteCpp/Database.h>

namespace incident_bot::bot {

class EffectsWriter {
 public:
  EffectsWriter(SQLite::Database& db, const ChatProfile& profile) : db_(db), profile_(profile) {}

  // A context carrying the profile's policy and templates; the caller adds what its views need.
  templates::RenderContext context(const Incident* incident, Timestamp now) const;
  RenderedMessage render(const workflows::Message& message, const templates::RenderContext& context) const;

  // The incident, its timeline and its postmortem, when the outcome changed anything; of the incident only what
  // differs from `before` (as loaded in this transaction; null for a new incident).
  void save(const workflows::Outcome& outcome, const Incident* before);
  // Every post of the outcome, rendered with `context`.
  void enqueue_posts(const workflows::Outcome& outcome, const templates::RenderContext& context, Timestamp now);
  // When the incident changed, the upkeep of its channel, measured against `before` (null for a new incident).
  void enqueue_chat_upkeep(const Incident* before, const workflows::Outcome& outcome, Timestamp now);
  void enqueue(const std::string& channel, workflows::PostKind kind, std::int64_t incident, std::string payload,
               Timestamp now);

 private:
  SQLite::Database& db_;
  const ChatProfile& profile_;
};

}  // namespace incident_bot::bot
