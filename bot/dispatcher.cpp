#include "bot/dispatcher.hpp"

#include "commands/parse.hpp"
#include "store/store.hpp"
#include "workflows/handle.hpp"
#include "workflows/markup.hpp"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>

namespace incident_bot::bot {

namespace {

using workflows::Visibility;

// A stored answer is its visibility letter, a newline, then the text.
std::string encode_answer(const Reply& reply) {
  return (reply.visibility == Visibility::in_channel ? "C\n" : "E\n") + reply.text;
}

Reply decode_answer(const std::string& answer) {
  Reply reply;
  reply.visibility = answer.starts_with("C\n") ? Visibility::in_channel : Visibility::ephemeral;
  reply.text = answer.size() >= 2 ? answer.substr(2) : "";
  return reply;
}

std::vector<workflows::OpenIncident> summaries(const std::vector<Incident>& open) {
  std::vector<workflows::OpenIncident> list;
  for (const auto& incident : open) list.push_back({incident.number, incident.title});
  return list;
}

}  // namespace

Dispatcher::Dispatcher(SQLite::Database& db, workflows::Policy policy, templates::Markup markup,
                       std::shared_ptr<spdlog::logger> logger, std::shared_ptr<const templates::Library> library)
    : db_(db), policy_(std::move(policy)), markup_(markup), logger_(std::move(logger)), library_(std::move(library)) {}

Reply Dispatcher::handle(const Invocation& invocation, Timestamp now) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  if (!invocation.delivery_id.empty()) {
    if (auto earlier = store::earlier_answer(db_, invocation.delivery_id)) {
      logger_->info("{} delivery {} seen before; answering as the first time", invocation.platform, invocation.delivery_id);
      return decode_answer(*earlier);
    }
  }
  Reply reply = decide(invocation, now);
  if (!invocation.delivery_id.empty()) store::record_answer(db_, invocation.delivery_id, encode_answer(reply), now);
  transaction.commit();
  return reply;
}

Reply Dispatcher::decide(const Invocation& invocation, Timestamp now) {
  const auto parsed = commands::parse(invocation.text);
  if (const auto* error = std::get_if<commands::ParseError>(&parsed))
    return Reply{Visibility::ephemeral, templates::convert(markup::escape(error->one_line()), markup_)};
  const auto& command = std::get<commands::Parsed>(parsed);

  std::optional<Incident> target;
  if (workflows::needs_incident(command.command)) {
    if (command.incident) {
      target = store::load_incident(db_, *command.incident);
      if (!target) return Reply{Visibility::ephemeral, incident_id(*command.incident) + " does not exist."};
    } else {
      target = store::incident_in_channel(db_, invocation.channel);
      if (!target) {
        workflows::Addressing addressing;
        addressing.held_by_actor = store::open_incidents_held_by(db_, invocation.user);
        if (addressing.held_by_actor.size() != 1) addressing.open = summaries(store::open_incidents(db_));
        const auto chosen = workflows::choose_incident(addressing);
        if (const auto* refusal = std::get_if<std::string>(&chosen))
          return Reply{Visibility::ephemeral, templates::convert(*refusal, markup_)};
        target = store::load_incident(db_, std::get<std::int64_t>(chosen));
      }
    }
  }

  const bool declaring = std::holds_alternative<commands::Declare>(command.command);
  workflows::Request request{policy_, invocation.user, now, invocation.channel,
                             declaring ? store::next_incident_number(db_) : 0};
  std::optional<Postmortem> postmortem;
  if (target) postmortem = store::load_postmortem(db_, target->number);
  std::vector<PastIncident> earlier;
  if (declaring) earlier = store::past_incidents(db_, request.next_number);
  request.postmortem = postmortem ? &*postmortem : nullptr;
  request.earlier = &earlier;
  auto outcome = workflows::handle(request, target ? &*target : nullptr, command.command);
  if (outcome.incident && outcome.incident->platform.empty()) outcome.incident->platform = invocation.platform;
  const Incident* incident = outcome.incident ? &*outcome.incident : (target ? &*target : nullptr);
  if (outcome.changed && outcome.incident) {
    store::save_incident(db_, *outcome.incident);
    store::append_timeline(db_, outcome.incident->number, outcome.timeline);
    if (outcome.postmortem) store::save_postmortem(db_, outcome.incident->number, *outcome.postmortem);
    logger_->info("{} {} by {}: {}", incident_id(outcome.incident->number),
                  outcome.timeline.empty() ? "changed" : outcome.timeline.front().kind, invocation.user,
                  to_string(outcome.incident->state));
  }

  std::vector<TimelineEntry> timeline;
  std::vector<Incident> open;
  const auto shows = [&](workflows::View view) {
    return outcome.reply.view == view ||
           std::any_of(outcome.posts.begin(), outcome.posts.end(), [&](const auto& post) { return post.message.view == view; });
  };
  if ((shows(workflows::View::timeline) || shows(workflows::View::postmortem)) && incident)
    timeline = store::load_timeline(db_, incident->number);
  if (shows(workflows::View::postmortem) && incident) earlier = store::past_incidents(db_, incident->number);
  if (outcome.reply.view == workflows::View::list) open = store::open_incidents(db_);
  if (outcome.postmortem) postmortem = outcome.postmortem;
  const templates::RenderContext context{incident,  &timeline, &open,   now, postmortem ? &*postmortem : nullptr,
                                         &earlier, &policy_,  library_.get()};

  for (const auto& post : outcome.posts) {
    store::OutboxRow row;
    row.platform = invocation.platform;
    row.channel = post.channel;
    row.kind = post.kind;
    row.incident = incident ? incident->number : 0;
    row.payload = templates::convert(templates::render(post.message, context), markup_);
    row.created_at = now;
    row.not_before = now;
    store::enqueue_post(db_, row);
  }
  return Reply{outcome.visibility, templates::convert(templates::render(outcome.reply, context), markup_)};
}

}  // namespace incident_bot::bot
