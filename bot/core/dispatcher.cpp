#include "bot/core/dispatcher.hpp"

#include "bot/core/public_ids.hpp"
#include "bot/core/store_directory.hpp"
#include "commands/parse.hpp"
#include "store/store.hpp"
#include "workflows/handle.hpp"
#include "workflows/markup.hpp"

#include <SQLiteCpp/Transaction.h>

#include <algorithm>

namespace incident_bot::bot {

namespace {

using workflows::Visibility;

// A stored answer is its visibility letter, its kind letter (none for ok, as answers stored before kinds),
// a newline, then the payload as the outbox keeps it.
std::string encode_answer(const Reply& reply) {
  std::string head = reply.visibility == Visibility::in_channel ? "C" : "E";
  if (reply.kind == ReplyKind::usage_error) head += 'U';
  if (reply.kind == ReplyKind::refused) head += 'R';
  return head + "\n" + outbox_payload({reply.text, reply.blocks});
}

Reply decode_answer(const std::string& answer) {
  const auto newline = answer.find('\n');
  const std::string_view head = std::string_view(answer).substr(0, newline);
  const auto message = read_outbox_payload(newline == std::string::npos ? "" : answer.substr(newline + 1));
  const ReplyKind kind = head.ends_with('U') ? ReplyKind::usage_error : head.ends_with('R') ? ReplyKind::refused : ReplyKind::ok;
  return Reply{head.starts_with('C') ? Visibility::in_channel : Visibility::ephemeral, message.text, message.blocks, kind};
}

}  // namespace

Dispatcher::Dispatcher(SQLite::Database& db, workflows::Policy policy, PlatformTraits platform,
                       std::shared_ptr<spdlog::logger> logger, std::shared_ptr<const templates::Library> library)
    : Dispatcher(db, make_profile(std::move(platform), std::move(policy), std::move(library)), std::move(logger)) {}

Dispatcher::Dispatcher(SQLite::Database& db, std::shared_ptr<const ChatProfile> profile,
                       std::shared_ptr<spdlog::logger> logger)
    : db_(db), profile_(std::move(profile)), logger_(std::move(logger)), effects_(db, *profile_) {}

Reply Dispatcher::handle(const Invocation& invocation, Timestamp now) {
  SQLite::Transaction transaction(db_, SQLite::TransactionBehavior::IMMEDIATE);
  Reply reply = handle_in_transaction(invocation, now);
  transaction.commit();
  return reply;
}

Reply Dispatcher::handle_in_transaction(const Invocation& invocation, Timestamp now) {
  if (!invocation.delivery_id.empty()) {
    if (auto earlier = store::earlier_answer(db_, invocation.delivery_id)) {
      logger_->info("{} delivery {} seen before; answering as the first time", profile_->traits.name, invocation.delivery_id);
      return decode_answer(*earlier);
    }
  }
  Reply reply = decide(invocation, now);
  if (!invocation.delivery_id.empty()) store::record_answer(db_, invocation.delivery_id, encode_answer(reply), now);
  return reply;
}

Reply Dispatcher::decide(const Invocation& invocation, Timestamp now) {
  const auto parsed = invocation.parsed ? commands::ParseResult(*invocation.parsed) : commands::parse(invocation.text);
  if (const auto* error = std::get_if<commands::ParseError>(&parsed))
    return Reply{Visibility::ephemeral, templates::convert(markup::escape(error->one_line()), profile_->traits.markup), {},
                 ReplyKind::usage_error};
  const auto& command = std::get<commands::Parsed>(parsed);

  const StoreIncidentDirectory all(db_, profile_->traits.name);
  const workflows::VisibleIncidents visible = visible_to(invocation, all);
  // Earlier incidents the user may not see are no family of theirs.
  const auto only_visible = [&](std::vector<PastIncident>& incidents) {
    std::erase_if(incidents, [&](const PastIncident& past) {
      const auto incident = store::load_incident(db_, past.number);
      return !incident || !visible.sees(*incident);
    });
  };

  std::optional<Incident> target;
  if (workflows::needs_incident(command.command)) {
    auto addressed = address(invocation, command.incident);
    if (auto* refusal = std::get_if<workflows::AddressRefusal>(&addressed))
      return Reply{Visibility::ephemeral, std::move(refusal->text), {}, ReplyKind::refused};
    target = std::move(std::get<Incident>(addressed));
  }

  const bool declaring = std::holds_alternative<commands::Declare>(command.command);
  workflows::Request request{profile_->policy, invocation.user, now, invocation.channel,
                             declaring ? store::next_incident_number(db_) : 0};
  std::optional<Postmortem> postmortem;
  if (target && workflows::reads_postmortem(command.command)) postmortem = store::load_postmortem(db_, target->number);
  std::vector<PastIncident> earlier;
  // declare (workflows/lifecycle.cpp) gives the new incident the command's title and layer.
  if (const auto* declare = std::get_if<commands::Declare>(&command.command)) {
    earlier = store::family_candidates(db_, request.next_number, declare->title, declare->layer.value_or(""));
    only_visible(earlier);
  }
  std::optional<PublicEntry> public_entry;
  if (target && workflows::reads_public_entry(command.command)) {
    public_entry = store::load_public_entry(db_, target->number);
    if (!public_entry->exists()) request.fresh_public_id = fresh_public_id();
  }
  request.public_entry = public_entry ? &*public_entry : nullptr;
  request.postmortem = postmortem ? &*postmortem : nullptr;
  request.earlier = &earlier;
  auto outcome = workflows::handle(request, target ? &*target : nullptr, command.command);
  if (outcome.incident && outcome.incident->platform.empty()) outcome.incident->platform = profile_->traits.name;
  const Incident* incident = outcome.incident ? &*outcome.incident : (target ? &*target : nullptr);
  effects_.save(outcome, target ? &*target : nullptr);
  if (outcome.changed && outcome.incident) {
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
  if (shows(workflows::View::list)) {
    open = store::open_incidents(db_);
    std::erase_if(open, [&](const Incident& listed) { return !visible.sees(listed); });
  }
  if (outcome.postmortem) postmortem = outcome.postmortem;
  if (!postmortem && shows(workflows::View::postmortem) && incident) postmortem = store::load_postmortem(db_, incident->number);
  if (shows(workflows::View::postmortem) && incident) {
    earlier = store::family_candidates(db_, incident->number, incident->title,
                                       workflows::family_layer(*incident, postmortem ? &*postmortem : nullptr));
    only_visible(earlier);
  }
  templates::RenderContext context = effects_.context(incident, now);
  context.timeline = &timeline;
  context.open = &open;
  context.postmortem = postmortem ? &*postmortem : nullptr;
  context.earlier = &earlier;

  const std::int64_t number = incident ? incident->number : 0;
  effects_.enqueue_posts(outcome, context, now);
  const RenderedMessage rendered = effects_.render(outcome.reply, context);
  Reply reply{outcome.visibility, rendered.text, rendered.blocks, outcome.refused ? ReplyKind::refused : ReplyKind::ok};
  if (invocation.reply_as_post) {
    if (reply.visibility == Visibility::in_channel)
      effects_.enqueue(invocation.channel, workflows::PostKind::reply, number, outbox_payload(rendered), now);
    else
      effects_.enqueue(invocation.channel, workflows::PostKind::ephemeral, number,
                       invocation.user + "\n" + outbox_payload(rendered), now);
  }
  effects_.enqueue_chat_upkeep(target ? &*target : nullptr, outcome, now);
  return reply;
}

workflows::Addressed Dispatcher::address(const Invocation& invocation, std::optional<std::int64_t> written) {
  const StoreIncidentDirectory all(db_, profile_->traits.name);
  auto addressed = workflows::address(written, {invocation.channel, invocation.user}, visible_to(invocation, all));
  if (auto* refusal = std::get_if<workflows::AddressRefusal>(&addressed))
    refusal->text = templates::convert(refusal->text, profile_->traits.markup);
  return addressed;
}

workflows::AccessFacts Dispatcher::access_facts(const Invocation& invocation, const Incident& incident) {
  workflows::AccessFacts facts{store::declarer_of(db_, incident.number).value_or(""), false};
  // The console knows no members: there a private incident is its role holders' and its declarer's only.
  if (!profile_->traits.channel_members) return facts;
  const auto& member_of = invocation.member_of;
  if (std::find(member_of.begin(), member_of.end(), incident.number) != member_of.end()) facts.channel_member = true;
  // A command typed inside the incident's own channel comes from a member of it.
  if (invocation.channel == incident.channel) facts.channel_member = true;
  if (const auto id = store::channel_id(db_, profile_->traits.name, incident.channel); id && *id == invocation.channel)
    facts.channel_member = true;
  return facts;
}

workflows::VisibleIncidents Dispatcher::visible_to(const Invocation& invocation, const StoreIncidentDirectory& all) {
  return workflows::VisibleIncidents(all, invocation.user,
                                     [this, &invocation](const Incident& incident) { return access_facts(invocation, incident); });
}

}  // namespace incident_bot::bot
