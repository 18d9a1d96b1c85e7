// The status page verbs: publish an update, change the public title, show what is public, release a held
// update, withdraw the entry. The comms lead or the owner publishes; a private incident's public comms wait
// for the owner (the incident lead), as the comms doctrine holds them until the lead agrees.
#include "workflows/markup.hpp"
#include "workflows/public_entry.hpp"
#include "workflows/verbs.hpp"

#include <algorithm>
#include <utility>

namespace incident_bot {

const PublicUpdate* PublicEntry::latest_released() const {
  for (auto update = updates.rbegin(); update != updates.rend(); ++update)
    if (!update->held()) return &*update;
  return nullptr;
}

const PublicUpdate* PublicEntry::first_released() const {
  for (const auto& update : updates)
    if (!update.held()) return &update;
  return nullptr;
}

int PublicEntry::held() const {
  return static_cast<int>(std::count_if(updates.begin(), updates.end(), [](const PublicUpdate& u) { return u.held(); }));
}

namespace workflows {

PublicState public_state_of(const PublicEntry& entry) {
  PublicState state;
  state.held = entry.held() + (entry.held_title.empty() ? 0 : 1);
  if (const PublicUpdate* latest = entry.latest_released(); latest && entry.withdrawn_at == 0) {
    state.published = true;
    state.status = latest->status;
    state.impact = latest->impact;
    state.at = latest->display_at;
  }
  return state;
}

Impact impact_for_severity(int severity) {
  switch (severity) {
    case 1: return Impact::critical;
    case 2: return Impact::major;
    case 3: return Impact::minor;
    default: return Impact::none;
  }
}

namespace detail {
namespace {

PublicEntry current(const Request& request) { return request.public_entry ? *request.public_entry : PublicEntry{}; }

// Who may publish for the incident, or the refusal for anyone else.
std::string refusal_to_publish(const Request& request, const Incident& incident) {
  if (!request.policy.status_page) return "The status page is not enabled (`status_page.enabled` in the config).";
  if (incident.state == State::declined) return id(incident) + " was declined; it has nothing to publish.";
  if (request.actor == incident.comms || request.actor == incident.owner) return {};
  if (incident.comms.empty() && incident.owner.empty())
    return id(incident) + " has no comms lead or owner yet; only they may publish. Appoint one: `role comms @user`.";
  std::string who;
  if (!incident.comms.empty()) who = "the comms lead " + markup::mention(incident.comms);
  if (!incident.owner.empty()) who += (who.empty() ? "the owner " : " or the owner ") + markup::mention(incident.owner);
  return "Only " + who + " may publish to the status page for " + id(incident) + ".";
}

// A private incident's public text waits for the owner, unless the owner wrote it.
bool held_for_owner(const Request& request, const Incident& incident) {
  return incident.is_private && request.actor != incident.owner;
}

std::string public_link(const Request& request, const PublicEntry& entry) {
  if (request.policy.status_page_url.empty()) return {};
  return " " + request.policy.status_page_url + "/status/incidents/" + entry.public_id;
}

std::string describe(const PublicUpdate& update) {
  std::string text = "*" + std::string(to_string(update.status)) + "* · impact " + std::string(to_string(update.impact));
  if (!update.components.empty()) {
    std::string names;
    for (const auto& name : update.components) names += (names.empty() ? "" : ", ") + name;
    text += " · " + markup::escape(names);
  }
  return text + " — " + markup::escape(update.body);
}

Outcome accept_public(const Incident& incident, const Request& request, PublicEntry entry, std::string kind,
                      std::string timeline_text) {
  Incident next = incident;
  next.public_state = public_state_of(entry);
  Outcome outcome = accept(std::move(next), request, std::move(kind), std::move(timeline_text));
  outcome.public_entry = std::move(entry);
  return outcome;
}

// The owner is asked where they work: the incident's channel, and by direct message where the chat has them.
void ask_owner_to_release(const Incident& incident, Outcome& outcome, const std::string& what) {
  const std::string text = markup::mention(incident.owner) + " " + what + " for " + id(incident) +
                           " is held because the incident is private. Review it with `publish` and release it with "
                           "`publish approve`.";
  outcome.posts.push_back(Post{incident.channel, PostKind::notice, Message{View::text, text}});
  if (!incident.owner.empty()) outcome.posts.push_back(Post{incident.owner, PostKind::direct, Message{View::text, text}});
}

PublicEntry opened(const Request& request, const Incident& incident) {
  PublicEntry entry = current(request);
  if (!entry.exists()) {
    entry.public_id = request.fresh_public_id;
    entry.title = incident.title;
    entry.created_at = request.now;
  }
  return entry;
}

}  // namespace

Outcome publish(const Request& request, const Incident& incident, const commands::Publish& command) {
  if (auto refusal = refusal_to_publish(request, incident); !refusal.empty()) return refuse(refusal);
  PublicEntry entry = opened(request, incident);
  const PublicUpdate* previous = entry.updates.empty() ? nullptr : &entry.updates.back();

  PublicUpdate update;
  update.sequence = static_cast<std::int64_t>(entry.updates.size()) + 1;
  update.status = command.status;
  update.body = command.text;
  update.impact = command.impact ? *command.impact : previous ? previous->impact : impact_for_severity(incident.severity);
  if (command.components.empty()) {
    if (previous) update.components = previous->components;
  } else {
    for (const auto& written : command.components) {
      const StatusComponent* component = component_named(request.policy, written);
      if (!component) {
        const std::string known = component_list(request.policy);
        return refuse("Unknown component " + markup::escape(written) + "; " +
                      (known.empty() ? std::string("no components are configured (`status_page.components`).")
                                     : "the status page has: " + markup::escape(known) + "."));
      }
      if (std::find(update.components.begin(), update.components.end(), component->name) == update.components.end())
        update.components.push_back(component->name);
    }
  }
  update.created_at = request.now;
  const bool held = held_for_owner(request, incident);
  update.display_at = held ? 0 : request.now;
  const std::string described = describe(update);
  entry.updates.push_back(std::move(update));
  entry.withdrawn_at = 0;  // publishing again puts a withdrawn entry back
  entry.withdrawn_reason.clear();

  if (held) {
    Outcome outcome = accept_public(incident, request, std::move(entry), "publish",
                                    "Public update drafted, held for the owner's release: " + described);
    outcome.reply.text = "Held for the owner's release (" + id(incident) + " is private): " + described;
    outcome.visibility = Visibility::ephemeral;
    ask_owner_to_release(incident, outcome, "A public status page update by " + markup::mention(request.actor));
    return outcome;
  }
  const std::string link = public_link(request, entry);
  Outcome outcome = accept_public(incident, request, std::move(entry), "publish", "Published to the status page: " + described);
  outcome.reply.text = ":mega: " + id(incident) + " published to the status page: " + described + link;
  return outcome;
}

Outcome publish_title(const Request& request, const Incident& incident, const commands::PublishTitle& command) {
  if (auto refusal = refusal_to_publish(request, incident); !refusal.empty()) return refuse(refusal);
  PublicEntry entry = opened(request, incident);
  const std::string title = markup::escape(command.title);
  if (held_for_owner(request, incident)) {
    entry.held_title = command.title;
    Outcome outcome = accept_public(incident, request, std::move(entry), "publish",
                                    "Public title drafted, held for the owner's release: " + title);
    outcome.reply.text = "Public title held for the owner's release (" + id(incident) + " is private): " + title;
    outcome.visibility = Visibility::ephemeral;
    ask_owner_to_release(incident, outcome, "A new public title by " + markup::mention(request.actor));
    return outcome;
  }
  entry.title = command.title;
  entry.held_title.clear();
  Outcome outcome = accept_public(incident, request, std::move(entry), "publish", "Public title set: " + title);
  outcome.reply.text = id(incident) + "'s public title is now: " + title;
  return outcome;
}

Outcome show_public(const Request& request, const Incident& incident) {
  const PublicEntry entry = current(request);
  std::string text;
  if (!entry.is_public()) {
    text = "*Status page:* " + id(incident) + " is not published.";
    if (entry.exists() && entry.withdrawn_at) text += " It was withdrawn: " + markup::escape(entry.withdrawn_reason) + ".";
  } else {
    const PublicUpdate& latest = *entry.latest_released();
    text = "*Status page:* public as \"" + markup::escape(entry.title) + "\" since " +
           markup::shown_time(entry.first_released()->display_at) + ". Latest (" + markup::shown_time(latest.display_at) +
           "): " + describe(latest);
    if (!entry.postmortem_summary.empty()) text += "\nPostmortem summary shown: " + markup::escape(entry.postmortem_summary);
  }
  if (!entry.held_title.empty()) text += "\nHeld for the owner's release — title: " + markup::escape(entry.held_title);
  for (const auto& update : entry.updates)
    if (update.held()) text += "\nHeld for the owner's release — update: " + describe(update);
  if (entry.held() > 0 || !entry.held_title.empty()) text += "\n`publish approve` (the owner) makes them public.";
  // What would change: the page lags behind the incident.
  const bool over = incident.state == State::monitoring || incident.state == State::closed;
  if (entry.is_public() && over && entry.latest_released()->status != PublicStatus::resolved)
    text += "\nThe incident is " + std::string(to_string(incident.state)) + " but the page says " +
            std::string(to_string(entry.latest_released()->status)) + ": `publish resolved <public text>` when users can "
            "know it is over.";
  if (!entry.is_public() && incident.is_open())
    text += "\nPublish with `publish <investigating|identified|monitoring|resolved> <public text> [impact:…] "
            "[components:…]` once the impact is definite and the story clear.";
  Outcome outcome;
  outcome.reply = Message{View::text, std::move(text)};
  return outcome;
}

Outcome approve_public(const Request& request, const Incident& incident) {
  if (!request.policy.status_page) return refuse("The status page is not enabled (`status_page.enabled` in the config).");
  if (request.actor != incident.owner)
    return refuse(incident.owner.empty() ? id(incident) + " has no owner yet; the owner releases held public updates."
                                         : "Only the owner " + markup::mention(incident.owner) +
                                               " may release held public updates of " + id(incident) + ".");
  PublicEntry entry = current(request);
  if (entry.held() == 0 && entry.held_title.empty()) return refuse("Nothing of " + id(incident) + " is held for release.");
  int released = 0;
  for (auto& update : entry.updates)
    if (update.held()) {
      update.display_at = request.now;
      ++released;
    }
  std::string what = std::to_string(released) + " update(s)";
  if (!entry.held_title.empty()) {
    entry.title = std::exchange(entry.held_title, {});
    what += " and the title";
  }
  entry.withdrawn_at = 0;
  entry.withdrawn_reason.clear();
  const std::string link = public_link(request, entry);
  Outcome outcome = accept_public(incident, request, std::move(entry), "publish-approve",
                                  "Released to the status page: " + what);
  outcome.reply.text = ":mega: " + id(incident) + ": released to the status page: " + what + "." + link;
  return outcome;
}

Outcome unpublish(const Request& request, const Incident& incident, const commands::Unpublish& command) {
  if (auto refusal = refusal_to_publish(request, incident); !refusal.empty()) return refuse(refusal);
  PublicEntry entry = current(request);
  if (!entry.is_public()) return refuse(id(incident) + " is not on the status page.");
  entry.withdrawn_at = request.now;
  entry.withdrawn_reason = command.reason;
  Outcome outcome = accept_public(incident, request, std::move(entry), "unpublish",
                                  "Withdrawn from the status page: " + markup::escape(command.reason));
  outcome.reply.text = id(incident) + " is withdrawn from the status page: " + markup::escape(command.reason);
  return outcome;
}

Outcome with_public_postmortem(const Request& request, Outcome done) {
  if (!done.changed || !done.postmortem || !request.public_entry || !request.public_entry->exists()) return done;
  const std::string summary = done.postmortem->section(PostmortemField::public_summary);
  if (summary.empty()) return done;
  PublicEntry entry = *request.public_entry;
  entry.postmortem_summary = summary;
  entry.postmortem_at = request.now;
  done.public_entry = std::move(entry);
  if (request.public_entry->is_public()) done.reply.text += " Its public summary is on the status page.";
  return done;
}

}  // namespace detail
}  // namespace workflows
}  // namespace incident_bot
