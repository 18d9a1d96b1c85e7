// The postmortem verbs: show the draft, fill a section, add a follow-up, mark it done.
#include "workflows/markup.hpp"
#include "workflows/postmortem.hpp"
#include "workflows/verbs.hpp"

#include <array>

namespace incident_bot::workflows {

namespace {

struct FieldTitle {
  PostmortemField field;
  std::string_view title;
  bool required;  // postmortem done refuses while it is empty
};
// In the order the document shows them.
constexpr std::array<FieldTitle, 9> field_titles{{
    {PostmortemField::summary, "summary", false},
    {PostmortemField::what_happened, "what happened", true},
    {PostmortemField::cost, "what it cost", true},
    {PostmortemField::detection_gap, "detection gap", true},
    {PostmortemField::causal_layer, "causal layer", true},
    {PostmortemField::evidence, "evidence for the cause", true},
    {PostmortemField::system_change, "system change", true},
    {PostmortemField::response, "how the response helped or hurt", false},
    {PostmortemField::public_summary, "public summary", false},
}};

}  // namespace

std::vector<PostmortemField> missing_for_done(const Postmortem& postmortem) {
  std::vector<PostmortemField> missing;
  for (const auto& entry : field_titles)
    if (entry.required && postmortem.section(entry.field).empty()) missing.push_back(entry.field);
  return missing;
}

std::string_view field_title(PostmortemField field) {
  for (const auto& entry : field_titles)
    if (entry.field == field) return entry.title;
  return "section";
}

namespace detail {

namespace {

std::string refusal_without_postmortem(const Incident& incident) {
  if (incident.state == State::declined)
    return id(incident) + " was declined as routine variance; it has no postmortem.";
  return {};
}

std::string missing_list(const Postmortem& postmortem) {
  std::string list;
  for (const auto field : missing_for_done(postmortem))
    list += (list.empty() ? "" : ", ") + std::string(field_title(field)) + " (`" + std::string(to_string(field)) + "`)";
  return list;
}

Postmortem current(const Request& request) { return request.postmortem ? *request.postmortem : Postmortem{}; }

Outcome accept_postmortem(const Incident& incident, const Request& request, Postmortem postmortem,
                          std::string timeline_text) {
  Outcome outcome = accept(incident, request, "postmortem", std::move(timeline_text));
  outcome.postmortem = std::move(postmortem);
  return outcome;
}

}  // namespace

Outcome show_postmortem(const Request&, const Incident& incident) {
  if (auto refusal = refusal_without_postmortem(incident); !refusal.empty()) return refuse(refusal);
  Outcome outcome;
  outcome.reply = Message{View::postmortem, {}};
  return outcome;
}

Outcome set_postmortem(const Request& request, const Incident& incident, const commands::PostmortemSet& command) {
  if (auto refusal = refusal_without_postmortem(incident); !refusal.empty()) return refuse(refusal);
  std::string text = command.text;
  if (command.field == PostmortemField::causal_layer) {
    text = markup::escape(text);  // a layer is one configured word; anything else is refused below
    for (char& c : text)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (!is_known_layer(request.policy, text))
      return refuse("Unknown causal layer '" + text + "'. Layers: " + layer_list(request.policy) +
                    ". Put the proof in `postmortem set evidence …`.");
  }
  Postmortem next = current(request);
  next.sections[command.field] = text;
  const std::string title(field_title(command.field));
  Outcome outcome = accept_postmortem(incident, request, next, "Postmortem " + title + ": " + markup::escape(text));
  outcome.reply.text = id(incident) + " postmortem: " + title + " recorded.";
  if (const auto missing = missing_list(next); !missing.empty())
    outcome.reply.text += " Still needed before `postmortem done`: " + missing + ".";
  else if (!next.done_at)
    outcome.reply.text += " Every required section is written: `postmortem done` when the team agrees.";
  return outcome;
}

Outcome add_action(const Request& request, const Incident& incident, const commands::AddAction& command) {
  if (auto refusal = refusal_without_postmortem(incident); !refusal.empty()) return refuse(refusal);
  if (command.due && *command.due + 86400 <= request.now)
    return refuse("The due date " + markup::utc_time(*command.due).substr(0, 10) +
                  " is in the past; give a date from today on.");
  Postmortem next = current(request);
  const std::int64_t sequence = next.actions.empty() ? 1 : next.actions.back().sequence + 1;
  next.actions.push_back(FollowUp{sequence, command.text, command.owner, command.due.value_or(0), request.actor, request.now});
  const std::string due = command.due ? ", due " + markup::utc_time(*command.due).substr(0, 10) : ", no due date";
  const std::string text = "Follow-up #" + std::to_string(sequence) + ": " + markup::escape(command.text) + " — " +
                           markup::mention(command.owner) + due;
  Outcome outcome = accept_postmortem(incident, request, next, text);
  outcome.reply.text = id(incident) + " " + text + ".";
  return outcome;
}

Outcome postmortem_done(const Request& request, const Incident& incident) {
  if (auto refusal = refusal_without_postmortem(incident); !refusal.empty()) return refuse(refusal);
  if (incident.state != State::closed)
    return refuse(id(incident) + " is " + std::string(to_string(incident.state)) +
                  "; close it before marking its postmortem done.");
  Postmortem next = current(request);
  if (next.done_at) return refuse(id(incident) + "'s postmortem is already done (" + markup::shown_time(next.done_at) + ").");
  if (const auto missing = missing_list(next); !missing.empty())
    return refuse("The postmortem of " + id(incident) + " is not done: missing " + missing +
                  ". A postmortem changes the system, not only documents the pain.");
  next.done_at = request.now;
  Outcome outcome = accept_postmortem(incident, request, next, "Postmortem done");
  outcome.incident->reminders.postmortem_done_at = request.now;  // the daily postmortem nudges end here
  outcome.reply.text = id(incident) + " postmortem done. System change: " +
                       markup::escape(next.section(PostmortemField::system_change)) + ".";
  outcome.posts.push_back(Post{incident.channel, PostKind::postmortem, Message{View::postmortem, {}}});
  if (!incident.is_private)
    outcome.posts.push_back(Post{request.policy.announce_channel, PostKind::notice, Message{View::text, outcome.reply.text}});
  return outcome;
}

Outcome with_family(const Request& request, Outcome declared) {
  if (!declared.changed || !declared.incident || !request.earlier) return declared;
  const Incident& incident = *declared.incident;
  const auto matches = same_family(incident.number, incident.title, incident.layer, *request.earlier);
  if (matches.empty()) return declared;
  std::string lines;
  for (const auto& match : matches) lines += (lines.empty() ? "" : "\n") + family_line(match);
  lines += "\nIf the same class of incident surprises the team twice, the earlier postmortem was incomplete.";
  declared.reply.text += "\n" + lines;
  for (auto& post : declared.posts)
    if (post.message.view == View::card) post.message.text = lines;
  return declared;
}

}  // namespace detail
}  // namespace incident_bot::workflows

namespace incident_bot {

std::string Postmortem::section(PostmortemField field) const {
  const auto found = sections.find(field);
  return found == sections.end() ? std::string() : found->second;
}

}  // namespace incident_bot
