#include "commands/parse.hpp"
#include "templates/render.hpp"
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"

namespace incident_bot::templates {

namespace {

const std::string not_yet_known = "_not yet known_";

std::string or_unknown(const std::string& value) { return value.empty() ? not_yet_known : markup::escape(value); }
std::string who(const UserId& user) { return user.empty() ? not_yet_known : markup::mention(user); }

std::string due(Timestamp at, Timestamp now) {
  if (at == 0) return "none (not active)";
  const std::string when = markup::shown_time(at);
  return at >= now ? when + " (in " + format_duration(at - now) + ")" : when + " (*overdue by " + format_duration(now - at) + "*)";
}

std::string header(const Incident& incident) {
  return "*" + incident_id(incident.number) + " · " + markup::escape(incident.title) + "*\n" +
         severity_name(incident.severity) + " · " + std::string(to_string(incident.state)) +
         (incident.is_private ? " · private" : "") + " · #" + incident.channel;
}

std::string specialists(const Incident& incident) {
  if (incident.specialists.empty()) return "none";
  std::string text;
  for (const auto& user : incident.specialists) text += (text.empty() ? "" : ", ") + markup::mention(user);
  return text;
}

std::string next_check(const Incident& incident) {
  if (incident.next_check.empty()) return not_yet_known;
  return markup::escape(incident.next_check) + " — " +
         (incident.next_check_owner.empty() ? "no one assigned" : markup::mention(incident.next_check_owner));
}

}  // namespace

std::string card(const Incident& incident, Timestamp now) {
  std::string text = header(incident) + "\n";
  text += "*Scope:* " + or_unknown(incident.scope) + "\n";
  text += "*Likely layer:* " + or_unknown(incident.layer) + " · *Confidence:* " +
          (incident.confidence == Confidence::unknown ? not_yet_known : std::string(to_string(incident.confidence))) + "\n";
  text += "*Owner:* " + who(incident.owner) + " · *Comms:* " + who(incident.comms) + " · *Detector:* " +
          who(incident.detector) + " · *Specialists:* " + specialists(incident) + "\n";
  text += "*Last update:* " + (incident.last_update_at ? markup::utc_time(incident.last_update_at) + " — " +
                                                             markup::escape(incident.symptom)
                                                       : "none yet") + "\n";
  text += "*Next check:* " + next_check(incident) + "\n";
  if (incident.state == State::monitoring) text += "*Resolved:* " + markup::utc_time(incident.resolved_at) + "\n";
  if (incident.state == State::declined) text += "*Declined:* " + markup::escape(incident.decline_reason) + "\n";
  if (incident.state == State::closed) text += "*Closed:* " + markup::utc_time(incident.closed_at) + "\n";
  text += "*Next update due:* " + due(incident.next_update_due, now);
  if (const auto cadence = workflows::cadence_summary(incident, now); !cadence.empty()) text += "\n*Cadence:* " + cadence;
  return text;
}

std::string status_update(const Incident& incident, Timestamp now) {
  std::string text = "*" + incident_id(incident.number) + " status update* — " + markup::escape(incident.title) + "\n";
  text += "*State:* " + std::string(to_string(incident.state)) + " · *Severity:* " + severity_name(incident.severity) + "\n";
  text += "*Symptom:* " + or_unknown(incident.symptom) + "\n";
  text += "*Scope and impact:* " + or_unknown(incident.scope) + "\n";
  text += "*Likely layer:* " + or_unknown(incident.layer) + "\n";
  text += "*Confidence:* " +
          (incident.confidence == Confidence::unknown ? not_yet_known : std::string(to_string(incident.confidence))) + "\n";
  text += "*Owner:* " + who(incident.owner) + "\n";
  text += "*Mitigation in progress:* " + (incident.mitigation.empty() ? "none yet" : markup::escape(incident.mitigation)) + "\n";
  text += "*Next verifying check:* " + next_check(incident) + "\n";
  text += "*Next update due:* " + due(incident.next_update_due, now);
  return text;
}

std::string announcement(const Incident& incident) {
  return ":rotating_light: *" + incident_id(incident.number) + " declared:* " + markup::escape(incident.title) + " (" +
         severity_name(incident.severity) + ") by " + markup::mention(incident.detector) + " — follow in #" +
         incident.channel;
}

std::string roles(const Incident& incident) {
  return "*" + incident_id(incident.number) + " roles*\n*Detector:* " + who(incident.detector) + "\n*Owner:* " +
         who(incident.owner) + "\n*Specialists:* " + specialists(incident) + "\n*Comms lead:* " + who(incident.comms);
}

std::string timeline(const Incident& incident, const std::vector<TimelineEntry>& entries) {
  std::string text = "*" + incident_id(incident.number) + " timeline* — " + markup::escape(incident.title);
  for (const auto& entry : entries)
    text += "\n" + markup::utc_time(entry.at) + " · " + (entry.actor.empty() ? "bot" : markup::mention(entry.actor)) +
            " · " + entry.kind + " · " + entry.text;
  return text;
}

std::string open_list(const std::vector<Incident>& open, Timestamp now) {
  if (open.empty()) return "No open incidents.";
  std::string text = "*Open incidents*";
  for (const auto& incident : open)
    text += "\n" + incident_id(incident.number) + " · " + severity_name(incident.severity) + " · " +
            std::string(to_string(incident.state)) + " · " + markup::escape(incident.title) + " · owner " +
            who(incident.owner) + " · #" + incident.channel + " · next update " + due(incident.next_update_due, now);
  return text;
}

std::string help(std::string_view verb) {
  if (!verb.empty()) {
    if (const auto* found = commands::find_verb(verb))
      return "`" + markup::escape(found->usage) + "` — " + markup::escape(found->summary) + "\nExample: `" +
             markup::escape(found->example) + "`";
  }
  std::string text = "*Incident commands* (inside an incident's channel the incident is implied; elsewhere write INC-N first)";
  for (const auto& entry : commands::verbs())
    text += "\n`" + markup::escape(entry.usage) + "` — " + markup::escape(entry.summary) + " e.g. `" +
            markup::escape(entry.example) + "`";
  return text;
}

std::string render(const workflows::Message& message, const RenderContext& context) {
  using workflows::View;
  const auto with_lead = [&](std::string body) { return message.text.empty() ? body : message.text + "\n" + body; };
  if (message.view == View::help) return help(message.text);
  if (message.view == View::list) return context.open ? open_list(*context.open, context.now) : "No open incidents.";
  if (message.view == View::text || context.incident == nullptr) return message.text;
  const Incident& incident = *context.incident;
  switch (message.view) {
    case View::card: return with_lead(card(incident, context.now));
    case View::update: return with_lead(status_update(incident, context.now));
    case View::announcement: return with_lead(announcement(incident));
    case View::roles: return with_lead(roles(incident));
    case View::timeline: return with_lead(timeline(incident, context.timeline ? *context.timeline : std::vector<TimelineEntry>{}));
    default: return message.text;
  }
}

}  // namespace incident_bot::templates
