#pragma once
// Slack Socket Mode messages, what the bot answers them, and the small rules around the
// connection: the reconnect delay, the URL as it may be logged, the envelopes already acked.
#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <variant>

namespace incident_bot::bot {

struct SocketHello {
  int num_connections = 0;
  int approximate_connection_time = 0;  // seconds, from debug_info; 0 when absent
};

struct SocketDisconnect {
  std::string reason;  // warning, refresh_requested, link_disabled, or one Slack adds later
};

struct SocketEnvelope {
  std::string envelope_id;
  std::string type;  // slash_commands, interactive, events_api, or one Slack adds later
  boost::json::object payload;
  bool accepts_response_payload = false;
  int retry_attempt = 0;  // events_api: Slack's redelivery count
  std::string retry_reason;
};

// Not JSON, no type, an envelope without an id, a type the bot does not know: logged, ignored.
struct SocketOther {
  std::string description;
};

using SocketMessage = std::variant<SocketHello, SocketDisconnect, SocketEnvelope, SocketOther>;

// Never throws: untrusted text becomes SocketOther.
SocketMessage parse_socket_message(std::string_view text);

// {"envelope_id": …} and, when given, {"payload": …}.
std::string socket_ack(std::string_view envelope_id, const boost::json::object* payload = nullptr);

enum class DisconnectAction {
  replace,  // open a new connection, close this one after the new hello
  stop,     // Socket Mode is off for the app: nothing to reconnect to
};
DisconnectAction disconnect_action(std::string_view reason);

// A URL fit for a log line: scheme://host[:port]/path; the query (the ticket) and fragment withheld.
std::string loggable_url(std::string_view url);

// The wait before reconnect attempt `attempt` (1, 2, …): base·2^(attempt-1) capped at `cap`,
// less up to a quarter of it as jitter; `unit` in [0, 1) picks where in that range.
std::chrono::milliseconds reconnect_delay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                          double unit);

// The ack sent for each of the latest `capacity` envelope ids: a redelivery is answered the
// same ack and not processed again.
class AckedEnvelopes {
 public:
  explicit AckedEnvelopes(std::size_t capacity = 2000) : capacity_(capacity) {}
  const std::string* find(std::string_view envelope_id) const;
  void remember(const std::string& envelope_id, std::string ack);
  std::size_t size() const { return acks_.size(); }

 private:
  std::size_t capacity_;
  std::map<std::string, std::string, std::less<>> acks_;
  std::deque<std::string> order_;  // oldest first
};

}  // namespace incident_bot::bot
