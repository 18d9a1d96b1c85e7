// The data behind every templated document: the incident, its postmortem and its timeline, as
// mrkdwn values. A value not yet known reads "_not yet known_"; it never silently disappears.
#include "templates/model.hpp"
#include "templates/phrases.hpp"
#include "workflows/markup.hpp"
#include "workflows/reminders.hpp"

#include <algorithm>

namespace incident_bot::templates::detail {

namespace {

using kainjow::mustache::list;

// An object that remembers the names set in it, so templates can be checked against them.
class Values {
 public:
  explicit Values(std::set<std::string>* names) : names_(names) {}
  void text(const std::string& name, std::string value) { set(name, Data(std::move(value))); }
  // Empty values are false, so {{#name}}…{{/name}} shows only what is there.
  void optional(const std::string& name, std::string value) {
    set(name, value.empty() ? Data(false) : Data(std::move(value)));
  }
  void flag(const std::string& name, bool value) { set(name, Data(value)); }
  void number(const std::string& name, long long value) { set(name, Data(std::to_string(value))); }
  void items(const std::string& name, list values) { set(name, Data(std::move(values))); }
  Values nested() const { return Values(names_); }
  Data data() const { return data_; }

 private:
  void set(const std::string& name, Data value) {
    if (names_) names_->insert(name);
    data_.set(name, value);
  }
  std::set<std::string>* names_;
  Data data_{Data::type::object};
};

std::string date(Timestamp at) { return markup::utc_time(at).substr(0, 10); }


// The card's status page line: "not published", "identified · major · <time>", with what is held.
std::string status_page_line(const Incident& incident) {
  const PublicState& page = incident.public_state;
  std::string line = page.published ? std::string(to_string(page.status)) + " · " + std::string(to_string(page.impact)) +
                                          " · " + markup::shown_time(page.at)
                                    : "not published";
  if (page.held > 0) line += " · " + std::to_string(page.held) + " held for the owner's release";
  return line;
}

void incident_values(Values& values, const Incident& incident, Timestamp now) {
  values.text("id", incident_id(incident.number));
  values.text("title", markup::escape(incident.title));
  values.text("severity", severity_name(incident.severity));
  values.text("state", std::string(to_string(incident.state)));
  values.text("channel", incident.channel);
  values.flag("private", incident.is_private);
  values.text("symptom", or_unknown(incident.symptom));
  values.text("scope", or_unknown(incident.scope));
  values.text("layer", or_unknown(incident.layer));
  values.text("confidence", incident.confidence == Confidence::unknown ? not_yet_known
                                                                       : std::string(to_string(incident.confidence)));
  values.text("owner", who(incident.owner));
  values.text("comms", who(incident.comms));
  values.text("detector", who(incident.detector));
  values.text("specialists", specialists(incident));
  values.text("mitigation", incident.mitigation.empty() ? "none yet" : markup::escape(incident.mitigation));
  values.text("next_check", next_check(incident));
  // A symptom given at declaration (the declare form) shows before the first update.
  values.text("last_update", incident.last_update_at ? markup::shown_time(incident.last_update_at) + " — " +
                                                           markup::escape(incident.symptom)
                             : incident.symptom.empty() ? "none yet"
                                                        : "none yet; declared with: " + markup::escape(incident.symptom));
  values.text("next_update_due", due(incident.next_update_due, now));
  values.optional("cadence", workflows::cadence_summary(incident, now));
  values.flag("overdue", incident.next_update_due != 0 && incident.next_update_due < now);
  values.optional("overdue_by", incident.next_update_due != 0 && incident.next_update_due < now
                                    ? format_duration(now - incident.next_update_due)
                                    : "");
  values.text("declared_at", markup::shown_time(incident.declared_at));
  values.optional("resolved_at", incident.resolved_at ? markup::shown_time(incident.resolved_at) : "");
  values.optional("closed_at", incident.closed_at ? markup::shown_time(incident.closed_at) : "");
  values.optional("resolution", markup::escape(incident.resolution));
  values.optional("decline_reason", markup::escape(incident.decline_reason));
  values.optional("close_reason", markup::escape(incident.close_reason));
  values.optional("time_to_resolve",
                  incident.resolved_at > incident.declared_at ? format_duration(incident.resolved_at - incident.declared_at) : "");
}

// What the postmortem asks for each section nobody has written yet.
std::string ask(PostmortemField field, const workflows::Policy& policy) {
  const std::string command = "`postmortem set " + std::string(to_string(field)) + " …`";
  const auto not_yet_written = [&](const std::string& question) { return "_Not yet written: " + question + " — " + command + "_"; };
  switch (field) {
    case PostmortemField::summary: return not_yet_written("two sentences for readers who were not there");
    case PostmortemField::what_happened: return not_yet_written("the story, in a few sentences");
    case PostmortemField::cost:
      return not_yet_written("what did it cost? Revenue, wasted spend, decisions made on bad data, hours");
    case PostmortemField::detection_gap: return not_yet_written("why was it not detected sooner?");
    case PostmortemField::causal_layer: return not_yet_written("which layer actually broke (" + layer_list(policy) + ")?");
    case PostmortemField::evidence: return not_yet_written("what evidence proved the cause?");
    case PostmortemField::system_change:
      return not_yet_written("which monitor, checklist, owner rule or release guardrail makes a repeat cheaper?");
    case PostmortemField::response: return not_yet_written("did the response help or hurt interpretation?");
    case PostmortemField::public_summary: return not_yet_written("what the status page should say once the postmortem is done");
  }
  return not_yet_known;
}

// The sections `postmortem done` still needs, by title; "" when none or no postmortem is known.
std::string missing_sections(const Postmortem& postmortem) {
  std::string missing;
  for (const auto field : workflows::missing_for_done(postmortem))
    missing += (missing.empty() ? "" : ", ") + std::string(workflows::field_title(field));
  return missing;
}

// What the nudges tell: who is asked, how long things have waited, and what the status page still says.
void nudge_values(Values& values, Document document, const std::string& lead, const Incident& incident,
                  const RenderContext& context, const workflows::Policy& policy) {
  const Timestamp now = context.now;
  const auto since = [now](Timestamp at) { return at > 0 && at <= now ? format_duration(now - at) : std::string(); };
  values.text("asked", lead.empty() ? who(incident.owner) : lead);
  values.text("since_declared", since(incident.declared_at).empty() ? "0s" : since(incident.declared_at));
  values.optional("since_resolved", incident.resolved_at ? since(incident.resolved_at) : "");
  values.optional("since_closed", incident.closed_at ? since(incident.closed_at) : "");
  values.optional("since_impact_definite", since(incident.reminders.impact_definite_at));
  const PublicState& page = incident.public_state;
  values.optional("page_status", policy.status_page && page.published && page.status != PublicStatus::resolved
                                     ? std::string(to_string(page.status))
                                     : "");
  if (document == Document::postmortem_nudge)
    values.optional("missing", context.postmortem ? missing_sections(*context.postmortem) : "");
}

constexpr PostmortemField every_field[]{PostmortemField::summary,       PostmortemField::what_happened,
                                        PostmortemField::cost,          PostmortemField::detection_gap,
                                        PostmortemField::causal_layer,  PostmortemField::evidence,
                                        PostmortemField::system_change, PostmortemField::response,
                                        PostmortemField::public_summary};

void postmortem_values(Values& values, const Incident& incident, const RenderContext& context,
                       const workflows::Policy& policy) {
  const Postmortem empty;
  const Postmortem& postmortem = context.postmortem ? *context.postmortem : empty;
  for (const auto field : every_field) {
    std::string name(to_string(field));
    std::replace(name.begin(), name.end(), '-', '_');
    const std::string written = postmortem.section(field);
    values.text(name, written.empty() ? ask(field, policy) : markup::escape(written));
  }
  values.optional("missing", missing_sections(postmortem));
  values.flag("done", postmortem.done_at != 0);
  values.optional("done_at", postmortem.done_at ? markup::shown_time(postmortem.done_at) : "");

  list timeline;
  const std::vector<TimelineEntry> none;
  const auto& entries = context.timeline ? *context.timeline : none;
  const auto is_story = [](const TimelineEntry& entry) { return entry.kind != "note" && entry.kind != "postmortem"; };
  // The renderer leaves the oldest entries out when the document would not fit the chat's message.
  const std::size_t from = std::min(context.timeline_from, entries.size());
  const auto left_out = std::count_if(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(from), is_story);
  values.optional("timeline_earlier", left_out > 0 ? earlier_entries_line(incident, static_cast<std::size_t>(left_out)) : "");
  for (std::size_t index = from; index < entries.size(); ++index) {
    const TimelineEntry& entry = entries[index];
    if (!is_story(entry)) continue;  // the story, not the paperwork
    Values item = values.nested();
    item.text("time", markup::shown_time(entry.at));
    item.text("actor", entry.actor.empty() ? "bot" : markup::mention(entry.actor));
    item.text("kind", entry.kind);
    item.text("text", entry.text);
    timeline.push_back(item.data());
  }
  values.items("timeline", std::move(timeline));

  const Seconds cadence = cadence_for(policy, incident.severity);
  const int late = workflows::late_updates(incident, entries, cadence);
  values.number("changes", static_cast<long long>(incident.changes.size()));
  values.number("most_changes_in_flight", incident.most_changes_in_flight);
  values.number("parallel_change_warnings", incident.parallel_change_warnings);
  values.flag("parallel_changes", incident.most_changes_in_flight > 1);
  values.flag("any_changes", !incident.changes.empty());
  values.number("update_count", incident.update_count);
  values.number("late_updates", late);
  values.flag("any_late", late > 0);
  values.text("cadence", format_duration(cadence));

  list actions;
  for (const auto& action : postmortem.actions) {
    Values item = values.nested();
    item.number("sequence", action.sequence);
    item.text("text", markup::escape(action.text));
    item.text("owner", who(action.owner));
    item.text("due", action.due ? "due " + date(action.due) : "no due date");
    actions.push_back(item.data());
  }
  values.items("actions", std::move(actions));
}

}  // namespace

Data model(Document document, const std::string& lead, const RenderContext& context, std::set<std::string>* names) {
  Values values(names);
  const workflows::Policy default_policy;
  const workflows::Policy& policy = context.policy ? *context.policy : default_policy;
  const Incident none;
  const Incident& incident = context.incident ? *context.incident : none;
  values.optional("lead", lead);
  values.text("now", markup::utc_time(context.now));
  incident_values(values, incident, context.now);
  values.optional("status_page", policy.status_page ? status_page_line(incident) : "");
  if (document == Document::postmortem) postmortem_values(values, incident, context, policy);
  nudge_values(values, document, lead, incident, context, policy);

  list family;
  if (context.earlier && document == Document::postmortem) {
    const std::string layer = workflows::family_layer(incident, context.postmortem);
    for (const auto& match : workflows::same_family(incident.number, incident.title, layer, *context.earlier)) {
      Values item = values.nested();
      item.text("line", workflows::family_line(match));
      item.text("family_id", incident_id(match.number));
      item.text("family_title", markup::escape(match.title));
      item.text("family_fix", match.system_change.empty() ? not_yet_known : markup::escape(match.system_change));
      family.push_back(item.data());
    }
  }
  values.flag("repeat", !family.empty());
  values.items("family", std::move(family));
  return values.data();
}

std::string json_escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size() + 8);
  for (const char c : text) {
    switch (c) {
      case '"': escaped += "\\\""; break;
      case '\\': escaped += "\\\\"; break;
      case '\n': escaped += "\\n"; break;
      case '\t': escaped += "\\t"; break;
      case '\r': escaped += "\\r"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          constexpr std::string_view hex = "0123456789abcdef";
          escaped += "\\u00";
          escaped += hex[static_cast<unsigned char>(c) >> 4];
          escaped += hex[static_cast<unsigned char>(c) & 0x0F];
        } else {
          escaped += c;
        }
    }
  }
  return escaped;
}

}  // namespace incident_bot::templates::detail
