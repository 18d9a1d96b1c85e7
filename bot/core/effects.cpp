#include "bot/core/effects.hpp"

#include <algorithm>

namespace incident_bot::bot {

using workflows::PostKind;

templates::RenderContext EffectsWriter::context(const Incident* incident, Timestamp now) const {
  templates::RenderContext context;
  context.incident = incident;
  context.now = now;
  context.policy = &profile_.policy;
  context.library = profile_.library.get();
  context.message_limit = profile_.traits.message_limit;
  return context;
}

RenderedMessage EffectsWriter::render(const workflows::Message& message, const templates::RenderContext& context) const {
  return render_message(message, context, profile_.traits);
}

void EffectsWriter::save(const workflows::Outcome& outcome, const Incident* before) {
  if (!outcome.changed || !outcome.incident) return;
  store::save_incident(db_, *outcome.incident, before);
  store::append_timeline(db_, outcome.incident->number, outcome.timeline);
  if (outcome.postmortem) store::save_postmortem(db_, outcome.incident->number, *outcome.postmortem);
  if (outcome.public_entry) store::save_public_entry(db_, outcome.incident->number, *outcome.public_entry);
}

void EffectsWriter::enqueue_posts(const workflows::Outcome& outcome, const templates::RenderContext& context,
                                  Timestamp now) {
  const Incident* incident = outcome.incident ? &*outcome.incident : context.incident;
  const std::int64_t number = incident ? incident->number : 0;
  const workflows::Message* last = nullptr;  // an update goes to two channels: rendered once
  std::string payload;
  for (const auto& post : outcome.posts) {
    if (post.kind == PostKind::direct && !profile_.traits.direct_messages) continue;  // the channel post says it already
    if (!last || !(*last == post.message)) payload = outbox_payload(render(post.message, context));
    last = &post.message;
    enqueue(post.channel, post.kind, number, payload, now);
  }
}

void EffectsWriter::enqueue(const std::string& channel, PostKind kind, std::int64_t incident, std::string payload,
                            Timestamp now) {
  store::OutboxRow row;
  row.platform = profile_.traits.name;
  row.channel = channel;
  row.kind = kind;
  row.incident = incident;
  row.payload = std::move(payload);
  row.created_at = now;
  row.not_before = now;
  store::enqueue_post(db_, row);
}

// Invites, the channel topic and the edited card: what a chat with incident channels keeps in step.
void EffectsWriter::enqueue_chat_upkeep(const Incident* before, const workflows::Outcome& outcome, Timestamp now) {
  if (!outcome.changed || !outcome.incident) return;
  const Incident& incident = *outcome.incident;
  const PlatformTraits& traits = profile_.traits;
  // A note leaves the incident as it was: its topic and card cannot have changed.
  if (before && *before == incident && outcome.participants.empty()) return;
  if (traits.incident_channels) {
    for (const auto& user : outcome.participants) enqueue(incident.channel, PostKind::invite, incident.number, user, now);
    const std::string topic = templates::convert(templates::topic(incident), traits.markup);
    if (!before || templates::convert(templates::topic(*before), traits.markup) != topic)
      enqueue(incident.channel, PostKind::topic, incident.number, topic, now);
  }
  const bool card_posted = std::any_of(outcome.posts.begin(), outcome.posts.end(),
                                       [](const workflows::Post& post) { return post.kind == PostKind::card; });
  if (traits.editable_card && !card_posted) {
    // The text tells whether the card changed; the blocks are rendered only when it did.
    const workflows::Message card{workflows::View::card, {}};
    const auto text_of = [&](const Incident& state) { return templates::render(card, context(&state, now)); };
    if (!before || text_of(*before) != text_of(incident))
      enqueue(incident.channel, PostKind::card, incident.number, outbox_payload(render(card, context(&incident, now))), now);
  }
}

}  // namespace incident_bot::bot
