// What the status page documents share: states in Statuspage's words, times, ids and escaping.
#include "templates/status_page.hpp"

#include "workflows/markup.hpp"

#include <algorithm>

namespace incident_bot::templates {

std::string_view component_status(Impact impact) {
  switch (impact) {
    case Impact::none: return "operational";
    case Impact::minor: return "degraded_performance";
    case Impact::major: return "partial_outage";
    case Impact::critical: return "major_outage";
  }
  return "operational";
}

std::string_view component_status_words(Impact impact) {
  switch (impact) {
    case Impact::none: return "Operational";
    case Impact::minor: return "Degraded performance";
    case Impact::major: return "Partial outage";
    case Impact::critical: return "Major outage";
  }
  return "Operational";
}

std::string_view indicator_description(Impact impact) {
  switch (impact) {
    case Impact::none: return "All Systems Operational";
    case Impact::minor: return "Minor Service Outage";
    case Impact::major: return "Partial System Outage";
    case Impact::critical: return "Major System Outage";
  }
  return "All Systems Operational";
}

std::string_view status_words(PublicStatus status) {
  switch (status) {
    case PublicStatus::investigating: return "Investigating";
    case PublicStatus::identified: return "Identified";
    case PublicStatus::monitoring: return "Monitoring";
    case PublicStatus::resolved: return "Resolved";
  }
  return "Investigating";
}

bool is_active(const PublicEntry& entry) {
  const PublicUpdate* latest = entry.latest_released();
  return latest && latest->status != PublicStatus::resolved;
}

Impact impact_on(const PageView& view, std::string_view component) {
  Impact worst = Impact::none;
  for (const auto& entry : view.entries) {
    if (!is_active(entry)) continue;
    const PublicUpdate& latest = *entry.latest_released();
    const bool touches = component.empty() ||
                         std::find(latest.components.begin(), latest.components.end(), component) != latest.components.end();
    if (touches && latest.impact > worst) worst = latest.impact;
  }
  return worst;
}

Timestamp page_updated_at(const PageView& view) {
  Timestamp latest = 0;
  for (const auto& entry : view.entries)
    if (const PublicUpdate* update = entry.latest_released()) latest = std::max({latest, update->display_at, entry.postmortem_at});
  return latest;
}

std::string component_id(std::string_view name) {
  std::string id;
  for (unsigned char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += static_cast<char>(c);
    else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  return id.empty() ? "component" : id;
}

std::string page_id(const PageSettings& settings) { return component_id(settings.title); }

const PublicEntry* entry_with_id(const PageView& view, std::string_view public_id) {
  for (const auto& entry : view.entries)
    if (entry.public_id == public_id) return &entry;
  return nullptr;
}

bool in_history(const PageView& view, const PublicEntry& entry) {
  if (is_active(entry)) return true;
  return entry.latest_released()->display_at >= view.now - view.settings.history;
}

std::string iso_time(Timestamp at) {
  // markup::utc_time gives "2026-11-23 14:05 UTC"; the seconds come from the timestamp itself.
  const std::string shown = markup::utc_time(at);
  const Timestamp seconds = ((at % 60) + 60) % 60;
  const char tens = static_cast<char>('0' + seconds / 10), ones = static_cast<char>('0' + seconds % 10);
  return shown.substr(0, 10) + "T" + shown.substr(11, 5) + ":" + tens + ones + "+00:00";
}

std::string html_escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (unsigned char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      case '"': escaped += "&quot;"; break;
      case '\'': escaped += "&#39;"; break;
      default:
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) break;
        escaped += static_cast<char>(c);
    }
  }
  return escaped;
}

}  // namespace incident_bot::templates
