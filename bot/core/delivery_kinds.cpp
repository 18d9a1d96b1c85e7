// What the engine does for each kind of row: the card's post/pin/edit lifecycle, the incident's
// channel (created on first use, renamed on a taken name, adopted after a creation in doubt),
// invites, topics, direct and ephemeral messages, and posts found again after an attempt in doubt.
#include "bot/core/delivery.hpp"

#include "bot/core/delivery_verdict.hpp"
#include "templates/render.hpp"
#include "workflows/markup.hpp"

namespace incident_bot::bot {

namespace asio = boost::asio;
using workflows::PostKind;
using Verdict = DeliveryEngine::Verdict;

namespace {

constexpr int channel_names_to_try = 5;

// A failure that may pass: the same look, tried later, may answer.
bool may_answer_later(const ChatAnswer& answer) {
  return !answer.ok() && Verdict::of(answer, 0).kind == Verdict::Kind::retry;
}

// A look for an earlier attempt that did not answer: whether that attempt took effect is still unknown.
Verdict look_failed(const ChatAnswer& found, const std::string& what, Timestamp now) {
  Verdict verdict = Verdict::of(found, now);
  verdict.error = "looking for " + what + ": " + found.error;
  verdict.in_doubt = verdict.kind == Verdict::Kind::retry;  // still unknown: look again next time
  return verdict;
}

}  // namespace

asio::awaitable<Verdict> DeliveryEngine::deliver(const store::OutboxRow& row) {
  const PlatformTraits& traits = chat_.traits();
  const Timestamp now = options_.clock();
  switch (row.kind) {
    case PostKind::card: {
      const auto incident = store::load_incident(db_, row.incident);
      if (!incident) co_return Verdict::failed("no such incident");
      co_return co_await deliver_card(row, *incident);
    }
    case PostKind::direct: {
      if (!traits.direct_messages) co_return Verdict::delivered();
      // A named post, not a temporary: GCC 12 destroys temporaries of a co_await expression twice.
      OutgoingPost post{row.channel, read_outbox_payload(row.payload), row.id, 0};
      co_return co_await deliver_post(row, std::move(post), true);
    }
    case PostKind::invite:
    case PostKind::topic: {
      if (!traits.incident_channels) co_return Verdict::delivered();
      auto channel = co_await destination(row);
      if (channel.kind != Verdict::Kind::delivered) co_return channel;
      if (row.kind == PostKind::invite) co_return Verdict::of(co_await chat_.invite(channel.value, row.payload), now);
      co_return Verdict::of(co_await chat_.set_topic(channel.value, row.payload), now);
    }
    case PostKind::ephemeral: {
      const auto newline = row.payload.find('\n');
      if (newline == std::string::npos) co_return Verdict::failed("malformed ephemeral row");
      auto channel = co_await destination(row);
      if (channel.kind != Verdict::Kind::delivered) co_return channel;
      co_return Verdict::of(co_await chat_.ephemeral(channel.value, row.payload.substr(0, newline),
                                                     read_outbox_payload(row.payload.substr(newline + 1))),
                            now);
    }
    default: {
      auto channel = co_await destination(row);
      if (channel.kind != Verdict::Kind::delivered) co_return channel;
      OutgoingPost post{channel.value, read_outbox_payload(row.payload), row.id, 0};
      co_return co_await deliver_post(row, std::move(post), false);
    }
  }
}

// A post made at most once as people see it: an attempt in doubt is looked for before it is sent
// again. While the look may still answer, sending could make two; a look refused for good (the chat
// cannot tell) is not waited for, since a post lost is worse than a post twice.
asio::awaitable<Verdict> DeliveryEngine::deliver_post(const store::OutboxRow& row, OutgoingPost post, bool direct) {
  const Timestamp now = options_.clock();
  if (row.in_doubt) {
    const ChatAnswer found = co_await chat_.find_post(post, direct);
    if (may_answer_later(found)) co_return look_failed(found, "an earlier attempt", now);
    if (found.ok() && !found.value.empty()) {
      logger_->info("{} post {} was made by an earlier attempt; not sent again", platform_, row.id);
      co_return Verdict::delivered(found.value);
    }
  }
  store::mark_in_doubt(db_, row.id);
  ChatAnswer answer;
  if (direct) answer = co_await chat_.direct(std::move(post));
  else answer = co_await chat_.post(std::move(post));
  co_return Verdict::of(answer, now);
}

asio::awaitable<Verdict> DeliveryEngine::deliver_card(const store::OutboxRow& row, const Incident& incident) {
  const Timestamp now = options_.clock();
  OutgoingPost card{{}, read_outbox_payload(row.payload), row.id, incident.number};
  if (const auto posted = store::card_message(db_, platform_, incident.number)) {
    const auto edited = co_await chat_.edit(posted->channel_id, posted->message_id, card);
    if (edited.status != ChatAnswer::Status::gone) co_return Verdict::of(edited, now);
    logger_->info("{}: the card can no longer be edited; posting it anew", incident_id(incident.number));
  }
  auto channel = co_await incident_channel(incident);
  if (channel.kind != Verdict::Kind::delivered) co_return channel;
  card.channel = channel.value;
  const Verdict verdict = co_await deliver_post(row, std::move(card), false);
  if (verdict.kind != Verdict::Kind::delivered) co_return verdict;
  store::remember_card(db_, platform_, incident.number, store::CardMessage{channel.value, verdict.value});
  const auto pinned = co_await chat_.pin(channel.value, verdict.value);
  if (!pinned.ok()) logger_->warn("{}: card not pinned: {}", incident_id(incident.number), pinned.error);
  co_return verdict;
}

asio::awaitable<Verdict> DeliveryEngine::destination(const store::OutboxRow& row) {
  if (row.incident != 0) {
    const auto incident = store::load_incident(db_, row.incident);
    if (incident && row.channel == incident->channel) co_return co_await incident_channel(*incident);
  }
  co_return Verdict::delivered(row.channel);
}

asio::awaitable<Verdict> DeliveryEngine::incident_channel(const Incident& incident) {
  if (!chat_.traits().incident_channels) co_return Verdict::delivered(incident.declared_in);
  if (auto known = store::channel_id(db_, platform_, incident.channel)) co_return Verdict::delivered(*known);
  if (auto failure = store::channel_failure(db_, platform_, incident.channel))
    co_return Verdict::failed("channel " + incident.channel + " could not be created: " + *failure);
  const auto in_doubt = store::channel_creation_in_doubt(db_, platform_, incident.channel);
  const Timestamp now = options_.clock();
  for (int attempt = 1; attempt <= channel_names_to_try; ++attempt) {
    const std::string name = chat_.channel_name(incident, attempt);
    store::begin_channel_creation(db_, platform_, incident.channel, name);
    const auto created = co_await chat_.create_channel(name, incident);
    std::string id = created.ok() ? created.value : std::string();
    if (created.status == ChatAnswer::Status::unknown) co_return Verdict::of(created, now);
    if (created.status == ChatAnswer::Status::name_taken && in_doubt == name) {
      // Our own earlier attempt made it: adopt that channel rather than making a second one.
      const auto found = co_await chat_.find_channel(name);
      // While the look may still answer, another name now could make a second channel.
      if (may_answer_later(found)) co_return look_failed(found, "the channel an earlier attempt made", now);
      if (found.ok() && !found.value.empty() && found.made_by_this_bot &&
          !store::incident_of_channel_id(db_, platform_, found.value))
        id = found.value;
    }
    if (!id.empty()) {
      store::remember_channel(db_, platform_, incident.channel, id, incident.number);
      store::end_channel_creation(db_, platform_, incident.channel);
      logger_->info("{}: channel {} is {}", incident_id(incident.number), name, id);
      co_return Verdict::delivered(id);
    }
    if (created.status == ChatAnswer::Status::name_taken) continue;
    if (created.status == ChatAnswer::Status::failed) {
      store::end_channel_creation(db_, platform_, incident.channel);
      co_return channel_failed(incident, created.error);
    }
    // A transient failure says nothing of an earlier attempt in doubt: it may still have made the channel.
    if (in_doubt != name) store::end_channel_creation(db_, platform_, incident.channel);
    co_return Verdict::of(created, now);
  }
  store::end_channel_creation(db_, platform_, incident.channel);
  co_return channel_failed(incident, "name_taken for " + std::to_string(channel_names_to_try) + " names");
}

// The channel can never be made as things are: its rows fail, and people are told once where they look.
Verdict DeliveryEngine::channel_failed(const Incident& incident, const std::string& error) {
  const Timestamp now = options_.clock();
  store::remember_channel_failure(db_, platform_, incident.channel, error, now);
  // A private incident's channel name carries its title: the public notice names the number only.
  const std::string channel = incident.is_private ? "private channel" : "channel " + incident.channel;
  const std::string why = incident_id(incident.number) + ": its " + channel + " could not be created (" + error +
                          "), so its posts are not delivered. Fix the bot's permissions, then run "
                          "`incident-bot outbox retry --all-failed`.";
  logger_->error("{}", why);
  if (!options_.announce_channel.empty()) {
    store::OutboxRow notice;
    notice.platform = platform_;
    notice.channel = options_.announce_channel;
    notice.kind = PostKind::notice;
    notice.payload = outbox_payload({templates::convert(markup::escape(why), chat_.traits().markup), {}});
    notice.created_at = now;
    notice.not_before = now;
    store::enqueue_post(db_, notice);
  }
  return Verdict::failed("channel " + incident.channel + " could not be created: " + error);
}

}  // namespace incident_bot::bot
