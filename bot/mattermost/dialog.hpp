#pragma once
// The declare form as a Mattermost interactive dialog: its elements, the signed state that proves a
// submission answers a dialog this bot opened for that user in that channel, and the submission
// read into a declaration. Mattermost signs nothing it posts to the dialog's URL, so the state does.
#include "bot/core/declare_form.hpp"
#include "commands/vocabulary.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace incident_bot::bot {

inline constexpr Seconds dialog_lifetime = 3600;  // a form left open longer is opened again

struct DialogState {
  std::string channel;  // where the form was opened: the incident is declared from there
  std::string user;     // who opened it: only they may submit it
  Timestamp expires = 0;
  std::string nonce;    // one per dialog: the submission's delivery id
};

std::string signed_dialog_state(std::string_view key, const DialogState& state);
// nullopt when the state is not one signed with key, or it has expired.
std::optional<DialogState> verified_dialog_state(std::string_view key, std::string_view state, Timestamp now);

boost::json::object declare_dialog(const workflows::Policy& policy, std::string state);

// What Mattermost posts to the dialog's URL.
struct DialogSubmission {
  std::string callback_id;
  std::string state;
  std::string user;
  std::string channel;
  bool cancelled = false;
  boost::json::object submission;  // element name -> value
};
// nullopt with a reason when the body is not a dialog submission.
std::optional<DialogSubmission> dialog_submission_from(const boost::json::value& body, std::string& problem);

commands::DeclareFields declare_fields_from(const boost::json::object& submission);

// {"errors": {"<element name>": "<why>"}}: the dialog stays open with the reason under the element.
boost::json::object declare_dialog_errors(const commands::DeclareFieldError& error);

}  // namespace incident_bot::bot
