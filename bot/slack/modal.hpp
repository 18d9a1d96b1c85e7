#pragma once
// The "post update" modal: its Block Kit view, and its submission turned back into an update command.
#include "workflows/incident.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace incident_bot::bot {

inline constexpr std::string_view update_modal_callback = "incident_update";

boost::json::object update_modal(const Incident& incident, const std::vector<std::string>& layers,
                                 const std::string& channel);

struct ModalSubmission {
  std::string channel;  // where the modal was opened from
  std::string text;     // "INC-N update … | scope: … | …", the same words the slash command takes
};

// nullopt when the view is not ours or is malformed.
std::optional<ModalSubmission> update_from_submission(const boost::json::object& view);

}  // namespace incident_bot::bot
