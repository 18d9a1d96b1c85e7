// A Mattermost slash command as its receiver gets it: the token check, the form (a POST body or a GET query)
// with its repeated mention fields, through the dispatcher and the store; and the channel names made for it.
// Input: one byte (p: POST with the right token header, g: GET with the right token header, r: POST carrying
// only what the input says), then the form.
#include "bot/mattermost/translator.hpp"
#include "bot/net/form.hpp"
#include "fuzz_bot.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace incident_bot;
namespace http = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const char mode = static_cast<char>(data[0]);
  const std::string_view form(reinterpret_cast<const char*>(data + 1), size - 1);

  bot::ServerRequest request{mode == 'g' ? http::verb::get : http::verb::post, "/mattermost/commands", 11};
  if (mode == 'g') request.target("/mattermost/commands?" + std::string(form));
  else request.body() = std::string(form);
  if (mode != 'r') request.set(http::field::authorization, "Token " + std::string(fuzz::mattermost_token));
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  request.prepare_payload();

  auto& bot = fuzz::FuzzBot::shared();
  (void)fuzz::answer_of([&](bot::Responder respond) { bot.mattermost_http.commands(request, std::move(respond)); });

  if (const auto pairs = bot::parse_form_pairs(form)) (void)bot::mentions_from(*pairs);
  (void)bot::mattermost_token_matches(fuzz::mattermost_token, form, form);
  const std::string channel = bot::mattermost_channel_name(form);
  if (channel.size() > 64) __builtin_trap();
  return 0;
}
