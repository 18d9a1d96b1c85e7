#pragma once
// The public status page as documents: server-rendered HTML, Statuspage's public API v2 JSON and an Atom feed,
// all from the public entries alone (no internal text, no people, no INC numbers). Pure: time comes in.
#include "workflows/policy.hpp"
#include "workflows/public_entry.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::templates {

struct PageSettings {
  std::string title = "Status";
  std::vector<workflows::StatusComponent> components;
  Seconds history = 14 * 86400;  // how long resolved incidents stay in the page's history
  std::string base_url;          // absolute, without a trailing slash: ids and links in the feed and the JSON
};

// What every document renders from: the public entries (newest first, released updates only) at `now`.
struct PageView {
  const PageSettings& settings;
  const std::vector<PublicEntry>& entries;
  Timestamp now = 0;
};

// --- shared readings of the entries (status_page.cpp)
std::string_view component_status(Impact impact);      // operational, degraded_performance, partial_outage, major_outage
std::string_view component_status_words(Impact impact);  // "Operational", "Degraded performance", …
std::string_view indicator_description(Impact impact);  // "All Systems Operational", …
std::string_view status_words(PublicStatus status);      // "Investigating"
bool is_active(const PublicEntry& entry);               // its latest public status is not resolved
// The worst impact of the active entries on one component, or on the page when component is empty.
Impact impact_on(const PageView& view, std::string_view component);
Timestamp page_updated_at(const PageView& view);  // the latest public update; 0 when none
// An id for a configured component: its name lowercased, runs of other characters as one hyphen.
std::string component_id(std::string_view name);
std::string page_id(const PageSettings& settings);
const PublicEntry* entry_with_id(const PageView& view, std::string_view public_id);
// Shown in the page's history: active, or resolved within settings.history.
bool in_history(const PageView& view, const PublicEntry& entry);

// "2026-12-02T14:05:00+00:00" (ISO 8601 with its offset), and "2026-12-02 14:05 UTC".
std::string iso_time(Timestamp at);
// Escaped for HTML text and double-quoted attributes, and for XML: & < > " ', with the bytes XML 1.0 forbids
// (controls other than tab, line feed and carriage return) left out.
std::string html_escape(std::string_view text);

// --- the documents
std::string status_html(const PageView& view);                              // GET /status (status_html.cpp)
std::string incident_html(const PageView& view, const PublicEntry& entry);  // GET /status/incidents/<id>
// The script the pages carry (local times), so the server can name it in its Content-Security-Policy.
std::string_view page_script();

std::string summary_json(const PageView& view);     // /api/v2/summary.json (status_json.cpp)
std::string status_json(const PageView& view);      // /api/v2/status.json
std::string components_json(const PageView& view);  // /api/v2/components.json
std::string incidents_json(const PageView& view);   // /api/v2/incidents.json: the 50 latest
std::string unresolved_json(const PageView& view);  // /api/v2/incidents/unresolved.json

std::string history_atom(const PageView& view);  // /history.atom (status_atom.cpp)

}  // namespace incident_bot::templates
