#include "bot/slack/socket_mode_protocol.hpp"

#include "bot/net/url.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace incident_bot::bot {

namespace json = boost::json;

namespace {

std::string string_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

int int_field(const json::object& object, std::string_view key) {
  const auto* value = object.if_contains(key);
  if (!value) return 0;
  if (value->is_int64()) return static_cast<int>(std::clamp<std::int64_t>(value->as_int64(), 0, 1 << 30));
  if (value->is_uint64()) return static_cast<int>(std::min<std::uint64_t>(value->as_uint64(), 1 << 30));
  return 0;
}

}  // namespace

SocketMessage parse_socket_message(std::string_view text) {
  boost::system::error_code ec;
  json::value parsed = json::parse(text, ec);
  if (ec || !parsed.is_object()) return SocketOther{"not a JSON object"};
  auto& message = parsed.as_object();
  const std::string type = string_field(message, "type");
  if (type == "hello") {
    SocketHello hello{int_field(message, "num_connections"), 0};
    if (const auto* debug = message.if_contains("debug_info"); debug && debug->is_object())
      hello.approximate_connection_time = int_field(debug->as_object(), "approximate_connection_time");
    return hello;
  }
  if (type == "disconnect") return SocketDisconnect{string_field(message, "reason")};
  const std::string envelope_id = string_field(message, "envelope_id");
  if (envelope_id.empty()) return SocketOther{type.empty() ? "a message without a type" : "a message of type " + type};
  SocketEnvelope envelope{envelope_id, type, {}, false, int_field(message, "retry_attempt"),
                          string_field(message, "retry_reason")};
  if (auto* payload = message.if_contains("payload"); payload && payload->is_object())
    envelope.payload = std::move(payload->as_object());
  if (const auto* accepts = message.if_contains("accepts_response_payload"); accepts && accepts->is_bool())
    envelope.accepts_response_payload = accepts->as_bool();
  return envelope;
}

std::string socket_ack(std::string_view envelope_id, const json::object* payload) {
  json::object ack{{"envelope_id", envelope_id}};
  if (payload) ack["payload"] = *payload;
  return json::serialize(ack);
}

DisconnectAction disconnect_action(std::string_view reason) {
  return reason == "link_disabled" ? DisconnectAction::stop : DisconnectAction::replace;
}

std::string loggable_url(std::string_view text) {
  const auto url = parse_url(text);
  if (!url) return "(a malformed URL)";
  const auto path = url->target.substr(0, url->target.find('?'));
  return url->scheme + "://" + url->host_header() + path;
}

std::chrono::milliseconds reconnect_delay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                          double unit) {
  auto delay = std::min(base, cap);
  for (int doubling = 1; doubling < attempt && delay < cap; ++doubling) delay = std::min(delay * 2, cap);
  const auto jitter = std::chrono::milliseconds(
      static_cast<std::chrono::milliseconds::rep>(static_cast<double>(delay.count()) / 4 * std::clamp(unit, 0.0, 1.0)));
  return delay - jitter;
}

const std::string* AckedEnvelopes::find(std::string_view envelope_id) const {
  const auto found = acks_.find(envelope_id);
  return found == acks_.end() ? nullptr : &found->second;
}

void AckedEnvelopes::remember(const std::string& envelope_id, std::string ack) {
  if (auto found = acks_.find(envelope_id); found != acks_.end()) {
    found->second = std::move(ack);
    return;
  }
  acks_.emplace(envelope_id, std::move(ack));
  order_.push_back(envelope_id);
  while (order_.size() > capacity_) {
    acks_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace incident_bot::bot
