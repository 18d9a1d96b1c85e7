#pragma once
// `export INC-N --format md [--postmortem]`: an incident as one Markdown document for people outside the chat.
#include "bot/app/config.hpp"
#include "templates/render.hpp"

#include <iosfwd>
#include <memory>
#include <string>

namespace incident_bot::bot {

struct ExportRequest {
  std::string incident;      // "INC-7"
  std::string format = "md";
  bool postmortem = false;   // the postmortem draft, in any state after resolve
};

// Closed: its postmortem. Before: the live status and the whole timeline; with `postmortem`, the draft
// from resolve on, every empty section saying "Not yet written". Exit status 0, 1 (no such incident,
// not resolved yet) or 2 (a malformed request).
int export_incident(const ExportRequest& request, const Config& config,
                    const std::shared_ptr<const templates::Library>& library, Timestamp now, std::ostream& out,
                    std::ostream& err);

}  // namespace incident_bot::bot
