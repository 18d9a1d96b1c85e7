#pragma once
// What a workflow decides: the new state and the effects the adapters carry out.
#include "workflows/incident.hpp"
#include "workflows/postmortem.hpp"
#include "workflows/policy.hpp"
#include "workflows/public_entry.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::workflows {

enum class Visibility { ephemeral, in_channel };

// Which document a message shows; View::text carries its whole text, the others are
// rendered by templates/ from the incident and the lead line in `text`. For the nudges the lead
// is who is asked: the mention of a person or a group.
enum class View {
  text, card, update, announcement, roles, timeline, list, help, reminder, postmortem,
  comms_nudge, comms_fallback, close_nudge, publish_nudge, postmortem_nudge,
};

struct Message {
  View view = View::text;
  std::string text;  // mrkdwn
  bool operator==(const Message&) const = default;
};

// What a post is: the delivery engine decides by its kind how it reaches the chat.
enum class PostKind { card, update, announcement, reminder, notice, postmortem, direct, reply, ephemeral, invite, topic };
std::string_view to_string(PostKind kind);
std::optional<PostKind> post_kind_named(std::string_view name);

struct Post {
  std::string channel;  // a channel, or a person for PostKind::direct
  PostKind kind = PostKind::notice;
  Message message;
};

struct Outcome {
  bool changed = false;              // false: nothing is saved
  bool refused = false;              // the command was refused: nothing changed, the reply says why
  std::optional<Incident> incident;  // the incident after the command
  std::vector<TimelineEntry> timeline;
  Visibility visibility = Visibility::ephemeral;
  Message reply;
  std::vector<Post> posts;
  std::vector<UserId> participants;  // people who belong in the incident's channel from now on
  std::optional<Postmortem> postmortem;  // set when the postmortem changed: saved with the incident
  std::optional<PublicEntry> public_entry;  // set when the status page entry changed: saved with the incident
};

// Everything a workflow knows of the world besides the incident: no clock, no store.
struct Request {
  const Policy& policy;
  UserId actor;
  Timestamp now = 0;
  std::string channel;            // where the command was typed
  std::int64_t next_number = 0;   // the number a declaration would take
  const Postmortem* postmortem = nullptr;              // the addressed incident's, when it has one
  const std::vector<PastIncident>* earlier = nullptr;  // for the repeat-family rule
  const PublicEntry* public_entry = nullptr;           // the addressed incident's status page entry, when loaded
  std::string fresh_public_id;                         // the id a first publish gives the entry
};

}  // namespace incident_bot::workflows
