#pragma once
// The "post update" modal: its Block Kit view, and its submission read field by field into an update.
#include "commands/parse.hpp"
#include "workflows/incident.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::bot {

inline constexpr std::string_view update_modal_callback = "incident_update";

boost::json::object update_modal(const Incident& incident, const std::vector<std::string>& layers,
                                 const std::string& channel);

struct ModalSubmission {
  std::string channel;  // where the modal was opened from
  std::int64_t incident = 0;
  // The update, checked as the slash command's grammar checks it, or the field it refuses.
  std::variant<commands::Update, commands::UpdateFieldError> update;
};

// nullopt when the view is not ours or is malformed.
std::optional<ModalSubmission> update_from_submission(const boost::json::object& view);

// {"<block id>": "<why>"}: what Slack shows under the field at fault, the modal staying open.
boost::json::object update_modal_errors(const commands::UpdateFieldError& error);

}  // namespace incident_bot::bot
