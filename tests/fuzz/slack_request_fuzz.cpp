// A Slack request as the HTTP receiver gets it: the signature check, then the route's form or JSON body
// through SlackInbound to the dispatcher and the store.
// Input: one byte for the route (c: /slack/commands, i: /slack/interactivity, e: /slack/events), one for the
// signing (s: signed as Slack would, h: the next two lines are the timestamp and signature headers), the body.
#include "bot/slack/signature.hpp"
#include "fuzz_bot.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace incident_bot;
namespace http = boost::beast::http;

namespace {

std::string_view take_line(std::string_view& text) {
  const auto newline = text.find('\n');
  const std::string_view line = text.substr(0, newline);
  text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const char route = static_cast<char>(data[0]);
  const char signing = static_cast<char>(data[1]);
  std::string_view rest(reinterpret_cast<const char*>(data + 2), size - 2);

  std::string timestamp = std::to_string(fuzz::fuzz_now);
  std::string signature;
  if (signing == 'h') {
    timestamp = std::string(take_line(rest));
    signature = std::string(take_line(rest));
  }
  const std::string body(rest);
  if (signing != 'h') signature = bot::slack_signature(fuzz::slack_secret, timestamp, body);
  const std::string problem = bot::slack_signature_problem(fuzz::slack_secret, timestamp, signature, body, fuzz::fuzz_now);
  if (signing != 'h' && !problem.empty()) __builtin_trap();  // a body Slack signed is always genuine

  bot::ServerRequest request{http::verb::post, "/slack/commands", 11};
  request.set("X-Slack-Request-Timestamp", timestamp);
  request.set("X-Slack-Signature", signature);
  request.set(http::field::content_type, route == 'e' ? "application/json" : "application/x-www-form-urlencoded");
  request.body() = body;
  request.prepare_payload();

  auto& bot = fuzz::FuzzBot::shared();
  (void)fuzz::answer_of([&](bot::Responder respond) {
    switch (route) {
      case 'c': return bot.slack_http.commands(request, std::move(respond));
      case 'i': return bot.slack_http.interactivity(request, std::move(respond));
      case 'e': return bot.slack_http.events(request, std::move(respond));
      default: return respond(bot::plain_response(http::status::not_found, ""));
    }
  });
  return 0;
}
