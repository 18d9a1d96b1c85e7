// Slack's JSON as SlackInbound reads it, whichever transport brought it: interactivity payloads (buttons, the
// update and declare modals' submissions), Events API callbacks, and the modals' views on their own.
// Input: one byte (i: an interaction, e: an event, m: a view), then the JSON.
#include "bot/slack/modal.hpp"
#include "fuzz_bot.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;
namespace json = boost::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const char kind = static_cast<char>(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  boost::system::error_code ec;
  const json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return 0;
  const json::object& object = parsed.as_object();

  if (kind == 'm') {
    if (const auto submission = bot::update_from_submission(object)) {
      if (const auto* error = std::get_if<commands::UpdateFieldError>(&submission->update))
        (void)bot::update_modal_errors(*error);
    }
    static const workflows::Policy policy;
    if (const auto submission = bot::declare_from_submission(object, policy)) {
      if (const auto* error = std::get_if<commands::DeclareFieldError>(&submission->declare))
        (void)bot::declare_modal_errors(*error);
    }
    return 0;
  }
  auto& bot = fuzz::FuzzBot::shared();
  (void)fuzz::inbound_answer_of([&](bot::AnswerInbound answer) {
    if (kind == 'e') return bot.slack_inbound.event(object, std::move(answer));
    return bot.slack_inbound.interaction(object, std::move(answer));
  });
  (void)bot::slack_unescape(bot::json_string_at(object, {"event", "text"}));
  return 0;
}
