#include "workflows/handle.hpp"

#include "workflows/reminders.hpp"
#include "workflows/verbs.hpp"

#include <cctype>

namespace incident_bot::workflows {

namespace {

template <class... Handlers>
struct overloaded : Handlers... { using Handlers::operator()...; };
template <class... Handlers>
overloaded(Handlers...) -> overloaded<Handlers...>;

Outcome query(View view, std::string lead = {}) {
  Outcome outcome;
  outcome.reply = Message{view, std::move(lead)};
  return outcome;
}

}  // namespace

bool needs_incident(const commands::Command& command) {
  return !(std::holds_alternative<commands::Declare>(command) ||
           std::holds_alternative<commands::List>(command) ||
           std::holds_alternative<commands::Help>(command));
}

bool reads_postmortem(const commands::Command& command) {
  return std::holds_alternative<commands::PostmortemShow>(command) || std::holds_alternative<commands::PostmortemSet>(command) ||
         std::holds_alternative<commands::PostmortemDone>(command) || std::holds_alternative<commands::AddAction>(command);
}

bool reads_public_entry(const commands::Command& command) {
  return std::holds_alternative<commands::Publish>(command) || std::holds_alternative<commands::PublishTitle>(command) ||
         std::holds_alternative<commands::PublishShow>(command) ||
         std::holds_alternative<commands::PublishApprove>(command) ||
         std::holds_alternative<commands::Unpublish>(command) || std::holds_alternative<commands::PostmortemDone>(command);
}

Outcome handle(const Request& request, const Incident* incident, const commands::Command& command) {
  if (needs_incident(command) && incident == nullptr) return detail::refuse("Which incident? Write INC-N first.");
  const Incident& target = incident ? *incident : Incident{};
  using namespace commands;
  Outcome outcome = std::visit(
      overloaded{
          [&](const Declare& c) { return detail::with_family(request, detail::declare(request, c)); },
          [&](const Decline& c) { return detail::decline(request, target, c); },
          [&](const AssignRole& c) { return detail::assign_role(request, target, c); },
          [&](const ListRoles&) { return query(View::roles); },
          [&](const Update& c) { return detail::update(request, target, c); },
          [&](const SetScope& c) { return detail::set_scope(request, target, c); },
          [&](const SetLayer& c) { return detail::set_layer(request, target, c); },
          [&](const SetSeverity& c) { return detail::set_severity(request, target, c); },
          [&](const RecordChange& c) { return detail::record_change(request, target, c); },
          [&](const Verify& c) { return detail::verify(request, target, c); },
          [&](const Note& c) { return detail::note(request, target, c); },
          [&](const Resolve& c) { return detail::resolve(request, target, c); },
          [&](const Close& c) { return detail::close(request, target, c); },
          [&](const Reopen&) { return detail::reopen(request, target); },
          [&](const Status&) { return query(View::card); },
          [&](const List&) { return query(View::list); },
          [&](const Timeline&) { return query(View::timeline); },
          [&](const Help& c) { return query(View::help, c.verb); },
          [&](const Snooze& c) { return detail::snooze(request, target, c); },
          [&](const SetCadence& c) { return detail::set_cadence(request, target, c); },
          [&](const PostmortemShow&) { return detail::show_postmortem(request, target); },
          [&](const PostmortemSet& c) { return detail::set_postmortem(request, target, c); },
          [&](const PostmortemDone&) { return detail::with_public_postmortem(request, detail::postmortem_done(request, target)); },
          [&](const AddAction& c) { return detail::add_action(request, target, c); },
          [&](const Publish& c) { return detail::publish(request, target, c); },
          [&](const PublishTitle& c) { return detail::publish_title(request, target, c); },
          [&](const PublishShow&) { return detail::show_public(request, target); },
          [&](const PublishApprove&) { return detail::approve_public(request, target); },
          [&](const Unpublish& c) { return detail::unpublish(request, target, c); },
      },
      command);
  // Every change may move a deadline: the reminders follow, and an update counts for adherence.
  if (outcome.changed && outcome.incident) after_command(request.policy, incident, *outcome.incident, request.now);
  return outcome;
}

std::string channel_name(std::string_view prefix, std::int64_t number, std::string_view title) {
  std::string name = std::string(prefix) + "-" + std::to_string(number);
  std::string slug;
  for (unsigned char c : title) {
    if (std::isalnum(c) && c < 0x80) {
      slug += static_cast<char>(std::tolower(c));
    } else if (c == '_' ) {
      slug += '_';
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && (slug.back() == '-' || slug.back() == '_')) slug.pop_back();
  if (!slug.empty()) name += "-" + slug;
  if (name.size() > 80) name.resize(80);
  while (name.back() == '-') name.pop_back();
  return name;
}

namespace detail {

Outcome refuse(std::string text) {
  Outcome outcome;
  outcome.refused = true;
  outcome.reply = Message{View::text, std::move(text)};
  return outcome;
}

Outcome accept(Incident next, const Request& request, std::string kind, std::string timeline_text) {
  Outcome outcome;
  outcome.changed = true;
  outcome.visibility = Visibility::in_channel;
  outcome.timeline.push_back(TimelineEntry{request.now, request.actor, std::move(kind), std::move(timeline_text)});
  outcome.incident = std::move(next);
  return outcome;
}

std::string refusal_when_ended(const Incident& incident) {
  if (incident.state == State::closed) return id(incident) + " is closed; reopen it first.";
  if (incident.state == State::declined) return id(incident) + " was declined; reopen it first.";
  return {};
}

Timestamp next_deadline(const Request& request, const Incident& incident) {
  if (incident.state == State::monitoring || !incident.is_open()) return 0;
  const Timestamp since = incident.last_update_at ? incident.last_update_at : incident.declared_at;
  return later_by(since, cadence_of(request.policy, incident));
}

std::string id(const Incident& incident) { return incident_id(incident.number); }

}  // namespace detail

}  // namespace incident_bot::workflows
