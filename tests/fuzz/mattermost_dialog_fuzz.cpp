// What Mattermost posts to /mattermost/dialogs, read as MattermostHttp::dialogs reads it: the submission, its
// signed state, the declare form's fields and the errors shown under them. Input: the JSON body.
#include "bot/mattermost/dialog.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;
namespace json = boost::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec) return 0;
  std::string problem;
  const auto submission = bot::dialog_submission_from(parsed, problem);
  if (!submission) return 0;
  // The seeds carry states signed with this key at expiry 2000, so the verified path is reached too.
  (void)bot::verified_dialog_state("fuzz-key", submission->state, 1'000);
  static const workflows::Policy policy;
  const auto declared = bot::declare_from_form(bot::declare_fields_from(submission->submission), policy);
  if (const auto* refused = std::get_if<commands::DeclareFieldError>(&declared)) (void)bot::declare_dialog_errors(*refused);
  return 0;
}
