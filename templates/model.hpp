#pragma once
// Internal to templates/: the data a template sees, and the built-in template files.
#include "templates/render.hpp"

#include <kainjow/mustache.hpp>

#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace incident_bot::templates::detail {

using Data = kainjow::mustache::data;

// The values of one document, every one already mrkdwn: user text escaped, mentions made by the
// bot. `names` collects every name set, so a template naming anything else can be refused.
Data model(Document document, const std::string& lead, const RenderContext& context, std::set<std::string>* names);

// The built-in files: name -> text, generated at build time from templates/*.mustache.
const std::vector<std::pair<std::string_view, std::string_view>>& builtin_files();

// A JSON string's inside: quotes, backslashes and control characters escaped.
std::string json_escape(const std::string& text);

// Incidents used to check a template renders: every field set, and most fields empty.
struct Sample {
  Incident incident;
  std::vector<TimelineEntry> timeline;
  Postmortem postmortem;
  std::vector<PastIncident> earlier;
  Timestamp now = 0;
};
Sample full_sample();
Sample empty_sample();

}  // namespace incident_bot::templates::detail
