// Socket Mode messages as the link receives them: parsed, acked, and an envelope's payload answered through
// SlackInbound as the running bot answers it.
#include "bot/slack/socket_mode.hpp"
#include "bot/slack/socket_mode_protocol.hpp"
#include "fuzz_bot.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace incident_bot;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const bot::SocketMessage message = bot::parse_socket_message(text);
  (void)bot::loggable_url(text);
  if (const auto* disconnect = std::get_if<bot::SocketDisconnect>(&message))
    (void)bot::disconnect_action(disconnect->reason);
  const auto* envelope = std::get_if<bot::SocketEnvelope>(&message);
  if (!envelope) return 0;
  if (envelope->envelope_id.empty()) __builtin_trap();
  auto& bot = fuzz::FuzzBot::shared();
  const auto answer = fuzz::inbound_answer_of(
      [&](bot::AnswerInbound answer) { bot::answer_envelope(bot.slack_inbound, *envelope, std::move(answer)); });
  (void)bot::socket_ack(envelope->envelope_id,
                        answer && answer->kind == bot::InboundAnswer::Kind::body ? &answer->body : nullptr);
  return 0;
}
