#include "bot/slack/socket_mode_protocol.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using namespace incident_bot::bot;
using namespace std::chrono_literals;
namespace json = boost::json;

TEST_CASE("socket mode: hello with its connection count and debug info") {
  const auto message = parse_socket_message(
      R"({"type":"hello","num_connections":2,"debug_info":{"host":"applink-1","approximate_connection_time":18060},"connection_info":{"app_id":"A1"}})");
  const auto* hello = std::get_if<SocketHello>(&message);
  REQUIRE(hello);
  CHECK(hello->num_connections == 2);
  CHECK(hello->approximate_connection_time == 18060);
}

TEST_CASE("socket mode: disconnect reasons, and which of them stop the bot") {
  const auto message = parse_socket_message(R"({"type":"disconnect","reason":"refresh_requested","debug_info":{}})");
  REQUIRE(std::holds_alternative<SocketDisconnect>(message));
  CHECK(std::get<SocketDisconnect>(message).reason == "refresh_requested");
  CHECK(disconnect_action("warning") == DisconnectAction::replace);
  CHECK(disconnect_action("refresh_requested") == DisconnectAction::replace);
  CHECK(disconnect_action("too_many_websockets") == DisconnectAction::replace);
  CHECK(disconnect_action("") == DisconnectAction::replace);
  CHECK(disconnect_action("link_disabled") == DisconnectAction::stop);
}

TEST_CASE("socket mode: an envelope keeps its id, type, payload and retry fields") {
  const auto message = parse_socket_message(
      R"({"envelope_id":"e-1","type":"events_api","accepts_response_payload":false,"retry_attempt":2,"retry_reason":"timeout","payload":{"event_id":"Ev1"}})");
  const auto* envelope = std::get_if<SocketEnvelope>(&message);
  REQUIRE(envelope);
  CHECK(envelope->envelope_id == "e-1");
  CHECK(envelope->type == "events_api");
  CHECK(envelope->payload.at("event_id") == "Ev1");
  CHECK_FALSE(envelope->accepts_response_payload);
  CHECK(envelope->retry_attempt == 2);
  CHECK(envelope->retry_reason == "timeout");
  const auto command = parse_socket_message(R"({"envelope_id":"e-2","type":"slash_commands","accepts_response_payload":true,"payload":{"text":"help"}})");
  CHECK(std::get<SocketEnvelope>(command).accepts_response_payload);
}

TEST_CASE("socket mode: what is not a message the bot knows never throws") {
  for (const auto* text : {"", "not json", "[1,2]", "{}", R"({"type":"slash_commands","payload":{}})",
                           R"({"type":"hello","num_connections":"many"})", R"({"envelope_id":7})"}) {
    CAPTURE(text);
    const auto message = parse_socket_message(text);
    CHECK((std::holds_alternative<SocketOther>(message) || std::holds_alternative<SocketHello>(message)));
  }
}

TEST_CASE("socket mode: the ack names the envelope and carries the payload when given") {
  CHECK(json::parse(socket_ack("e-1")) == json::parse(R"({"envelope_id":"e-1"})"));
  const json::object payload{{"text", "INC-1 declared"}};
  CHECK(json::parse(socket_ack("e\"2", &payload)) == json::parse(R"({"envelope_id":"e\"2","payload":{"text":"INC-1 declared"}})"));
}

TEST_CASE("socket mode: the logged URL withholds the ticket") {
  CHECK(loggable_url("wss://wss-primary.slack.com/link/?ticket=secret-ticket&app_id=A1") ==
        "wss://wss-primary.slack.com/link/");
  CHECK(loggable_url("ws://127.0.0.1:4000/link?ticket=t#x") == "ws://127.0.0.1:4000/link");
  CHECK(loggable_url("not a url ?ticket=t").find("ticket") == std::string::npos);
}

TEST_CASE("socket mode: reconnect delays double from the base up to the cap, jitter takes at most a quarter") {
  CHECK(reconnect_delay(1, 1000ms, 30s, 0.0) == 1000ms);
  CHECK(reconnect_delay(2, 1000ms, 30s, 0.0) == 2000ms);
  CHECK(reconnect_delay(3, 1000ms, 30s, 0.0) == 4000ms);
  CHECK(reconnect_delay(5, 1000ms, 30s, 0.0) == 16000ms);
  CHECK(reconnect_delay(6, 1000ms, 30s, 0.0) == 30000ms);
  CHECK(reconnect_delay(60, 1000ms, 30s, 0.0) == 30000ms);
  CHECK(reconnect_delay(1, 1000ms, 30s, 0.999) > 750ms);
  CHECK(reconnect_delay(60, 1000ms, 30s, 1.0) == 22500ms);
  CHECK(reconnect_delay(0, 1000ms, 30s, 0.0) == 1000ms);
}

TEST_CASE("socket mode: acked envelopes are remembered, the oldest forgotten past the capacity") {
  AckedEnvelopes acked(2);
  CHECK(acked.find("a") == nullptr);
  acked.remember("a", "ack-a");
  acked.remember("b", "ack-b");
  REQUIRE(acked.find("a"));
  CHECK(*acked.find("a") == "ack-a");
  acked.remember("c", "ack-c");
  CHECK(acked.find("a") == nullptr);
  CHECK(*acked.find("c") == "ack-c");
  CHECK(acked.size() == 2);
}
