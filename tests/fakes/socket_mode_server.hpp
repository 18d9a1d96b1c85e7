#pragma once
// A Slack Socket Mode stand-in for loopback tests: a real WebSocket server (Beast, optionally
// TLS with a throwaway certificate) on 127.0.0.1, port 0, on its own thread and io_context.
//
//   fakes::SocketModeServer socket({.tls = true});
//   slack_api.set_socket_mode_url(socket.url());   // what apps.connections.open answers
//   ... start the bot with SLACK_APP_TOKEN and tls.ca_file = socket.ca_file() ...
//   REQUIRE(socket.wait_for_connection(1, 5s));
//   socket.send_envelope(1, "e-1", "slash_commands", {{"text", "help"}, …});
//   REQUIRE(socket.wait_for_acks("e-1", 1, 5s));
//
// Connections are numbered 1, 2, … in the order their WebSocket handshakes complete. Every
// message the bot sends is recorded (thread-safe); every method may be called from any thread.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::fakes {

struct SocketModeServerOptions {
  bool tls = false;              // wss:// with a certificate for localhost and 127.0.0.1 (see ca_file())
  bool hello_on_connect = true;  // send hello as soon as a connection is accepted
};

struct ReceivedAck {
  int connection = 0;
  std::string envelope_id;
  boost::json::value payload;  // null when the ack carried none
  std::string raw;
};

class SocketModeServer {
 public:
  explicit SocketModeServer(SocketModeServerOptions options = {});
  ~SocketModeServer();  // stops the server thread and removes the certificate file
  SocketModeServer(const SocketModeServer&) = delete;
  SocketModeServer& operator=(const SocketModeServer&) = delete;

  std::uint16_t port() const;
  std::string url() const;      // ws://127.0.0.1:PORT/link/?ticket=fake-ticket-N (wss:// with tls)
  std::string ca_file() const;  // the PEM certificate to trust (tls.ca_file); empty without TLS

  int connections() const;  // handshakes completed so far
  bool wait_for_connection(int number, std::chrono::milliseconds timeout) const;
  bool is_open(int number) const;
  bool wait_closed(int number, std::chrono::milliseconds timeout) const;
  std::string target(int number) const;      // the handshake's request target
  std::string user_agent(int number) const;  // the handshake's User-Agent
  std::string sni(int number) const;         // the TLS server name; empty without TLS or SNI
  int pings(int number) const;               // pings the bot sent on that connection
  bool wait_for_pings(int number, int count, std::chrono::milliseconds timeout) const;

  void send_text(int number, std::string text);
  void send_hello(int number);
  void send_disconnect(int number, std::string reason);
  void send_envelope(int number, std::string envelope_id, std::string type, boost::json::object payload,
                     bool accepts_response_payload = true, int retry_attempt = 0);
  void ping(int number);       // a server ping; the bot answers with a pong
  void drop(int number);       // cuts the TCP connection, no close frame
  void go_silent(int number);  // stops reading and writing, keeps the socket: no pong, nothing

  std::vector<ReceivedAck> acks() const;  // every ack, in arrival order
  std::vector<ReceivedAck> acks(std::string_view envelope_id) const;
  bool wait_for_acks(std::string_view envelope_id, std::size_t count, std::chrono::milliseconds timeout) const;
  bool wait_for_ack_count(std::size_t count, std::chrono::milliseconds timeout) const;
  std::vector<std::string> other_messages() const;  // text messages that were not acks

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A slash command payload as Socket Mode carries it (the HTTP form's fields, as JSON strings).
boost::json::object slash_command_payload(const std::string& text, const std::string& trigger_id,
                                          const std::string& channel = "C0GENERAL", const std::string& user = "U0ALICE");
// An events_api payload: an app_mention event_callback.
boost::json::object app_mention_payload(const std::string& event_id, const std::string& text,
                                        const std::string& channel = "C0GENERAL", const std::string& user = "U0ALICE");

}  // namespace incident_bot::fakes
