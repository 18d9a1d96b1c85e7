#pragma once
// Turns a workflow Message into text: documents are composed in mrkdwn, then converted per platform.
#include "workflows/outcome.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::templates {

enum class Markup { mrkdwn, markdown, plain };

struct RenderContext {
  const Incident* incident = nullptr;
  const std::vector<TimelineEntry>* timeline = nullptr;
  const std::vector<Incident>* open = nullptr;
  Timestamp now = 0;
};

std::string render(const workflows::Message& message, const RenderContext& context);  // mrkdwn

// The documents behind the views.
std::string card(const Incident& incident, Timestamp now);
std::string status_update(const Incident& incident, Timestamp now);
std::string announcement(const Incident& incident);
std::string roles(const Incident& incident);
std::string timeline(const Incident& incident, const std::vector<TimelineEntry>& entries);
std::string open_list(const std::vector<Incident>& open, Timestamp now);
std::string help(std::string_view verb);
std::string topic(const Incident& incident);  // one line: id, severity, state, owner, next update

// mrkdwn -> standard Markdown (Mattermost, export) or plain text (console).
std::string convert(std::string_view mrkdwn, Markup markup);

}  // namespace incident_bot::templates
