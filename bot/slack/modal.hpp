#pragma once
// The "post update" and "declare" modals: their Block Kit views, and their submissions read field by
// field, checked as the slash command's grammar checks typed text.
#include "commands/parse.hpp"
#include "workflows/policy.hpp"
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

// The declare form (bot/core/declare_form.hpp) as a modal opened from `channel`.
boost::json::object declare_modal(const workflows::Policy& policy, const std::string& channel);

struct DeclareSubmission {
  std::string channel;  // where the modal was opened from
  std::variant<commands::Declare, commands::DeclareFieldError> declare;
};

// nullopt when the view is not the declare modal or is malformed.
std::optional<DeclareSubmission> declare_from_submission(const boost::json::object& view, const workflows::Policy& policy);

boost::json::object declare_modal_errors(const commands::DeclareFieldError& error);

}  // namespace incident_bot::bot
