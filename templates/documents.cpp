#include "commands/parse.hpp"
#include "templates/phrases.hpp"
#include "templates/render.hpp"
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"

#include <algorithm>
#include <optional>

namespace incident_bot::templates {

using namespace detail;

namespace {

// The views rendered from a template file, and the document each uses.
std::optional<Document> templated(workflows::View view) {
  switch (view) {
    case workflows::View::card: return Document::card;
    case workflows::View::update: return Document::update;
    case workflows::View::announcement: return Document::announcement;
    case workflows::View::reminder: return Document::reminder;
    case workflows::View::postmortem: return Document::postmortem;
    case workflows::View::comms_nudge: return Document::comms_nudge;
    case workflows::View::comms_fallback: return Document::comms_fallback;
    case workflows::View::close_nudge: return Document::close_nudge;
    case workflows::View::publish_nudge: return Document::publish_nudge;
    case workflows::View::postmortem_nudge: return Document::postmortem_nudge;
    default: return std::nullopt;
  }
}

}  // namespace

std::string roles(const Incident& incident) {
  return "*" + incident_id(incident.number) + " roles*\n*Detector:* " + who(incident.detector) + "\n*Owner:* " +
         who(incident.owner) + "\n*Specialists:* " + specialists(incident) + "\n*Comms lead:* " + who(incident.comms);
}

std::string earlier_entries_line(const Incident& incident, std::size_t left_out) {
  // The newest entries are what an on-call engineer acts on; the whole history is a document, not a chat scroll.
  return "… " + std::to_string(left_out) + " earlier " + (left_out == 1 ? "entry" : "entries") +
         " not shown; the whole timeline: `incident-bot export " + incident_id(incident.number) + " --format md`";
}

std::string timeline(const Incident& incident, const std::vector<TimelineEntry>& entries, std::size_t message_limit) {
  std::string text = "*" + incident_id(incident.number) + " timeline* — " + markup::escape(incident.title);
  std::vector<std::string> lines;
  lines.reserve(entries.size());
  std::size_t total = text.size();
  for (const auto& entry : entries) {
    lines.push_back("\n" + markup::shown_time(entry.at) + " · " + (entry.actor.empty() ? "bot" : markup::mention(entry.actor)) +
                    " · " + entry.kind + " · " + entry.text);
    total += lines.back().size();
  }
  std::size_t first = 0;
  if (message_limit > 0 && total > message_limit) {
    // Room for the header and the line naming what is left out; then the newest lines, newest first.
    std::size_t room = message_limit - std::min(message_limit, text.size() + 1 + earlier_entries_line(incident, entries.size()).size());
    first = lines.size();
    while (first > 0 && lines[first - 1].size() <= room) room -= lines[--first].size();
    text += "\n" + earlier_entries_line(incident, first);
  }
  for (std::size_t i = first; i < lines.size(); ++i) text += lines[i];
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
  if (const auto document = templated(message.view)) return render_text(*document, message.text, context);
  const Incident& incident = *context.incident;
  switch (message.view) {
    case View::roles: return with_lead(roles(incident));
    case View::timeline: {
      const std::size_t lead = message.text.empty() ? 0 : message.text.size() + 1;
      const std::size_t limit = context.message_limit == 0 ? 0 : context.message_limit - std::min(context.message_limit - 1, lead);
      return with_lead(timeline(incident, context.timeline ? *context.timeline : std::vector<TimelineEntry>{}, limit));
    }
    default: return message.text;
  }
}

std::string blocks(const workflows::Message& message, const RenderContext& context) {
  const auto document = templated(message.view);
  if (document && context.incident) return render_blocks(*document, message.text, context);
  return text_blocks(render(message, context));
}

}  // namespace incident_bot::templates
