// Slack's chat drivers: one Web API stand-in for what the bot posts, two ways in for commands
// (signed HTTP slash commands, Socket Mode envelopes).
#include "fakes/chat_drivers.hpp"
#include "fakes/http_caller.hpp"

#include <boost/json/parse.hpp>

#include <cctype>
#include <chrono>
#include <map>
#include <regex>
#include <stdexcept>

namespace incident_bot::fakes {

namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

constexpr const char* signing_secret = "conformance-signing-secret";
constexpr const char* app_token = "xapp-1-A0FAKE-conformance-token";

// Socket Mode timings for a suite about messages, not about the link: pings seldom and a long
// silence allowed, so a busy machine never makes the bot replace a connection mid-script.
bot::SocketModeTuning patient_socket_mode() {
  auto tuning = quick_socket_mode();
  tuning.ping_interval = 1s;
  tuning.silence_timeout = 60s;
  tuning.hello_timeout = 30s;
  tuning.connect_timeout = 30s;
  return tuning;
}

}  // namespace

SlackDriver::SlackDriver(ChatCast cast) : RuntimeDriver(std::move(cast)), api_({.token = bot_token}) {}

std::string SlackDriver::id_of(const std::string& person) const {
  std::string id = "U0" + person;
  for (char& c : id) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return id;
}

bot::Config SlackDriver::config() const {
  bot::Config config;
  config.slack.api_url = api_.url();
  config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
  return config;
}

std::string SlackDriver::as_slack_sends(const std::string& text) const {
  std::string escaped;
  for (const char c : text) {
    if (c == '&') escaped += "&amp;";
    else if (c == '<') escaped += "&lt;";
    else if (c == '>') escaped += "&gt;";
    else escaped += c;
  }
  for (const auto& name : cast().people)
    escaped = std::regex_replace(escaped, std::regex("@" + name + "\\b"), "<@" + id_of(name) + "|" + name + ">");
  return escaped;
}

std::vector<ChatPost> SlackDriver::received() {
  std::vector<ChatPost> posts;
  std::map<std::string, std::size_t> card_of_channel;
  for (const auto& call : api_.calls()) {
    if (call.method == "chat.postMessage") {
      const auto& blocks = call.body.as_object().at("blocks").as_array();
      const bool card = !blocks.empty() && blocks.back().as_object().at("type") == "actions";
      if (card) card_of_channel[call.arg("channel")] = posts.size();
      posts.push_back({channel_name(call.arg("channel")), call.arg("text")});
    } else if (call.method == "chat.update") {
      posts.at(card_of_channel.at(call.arg("channel"))).text = call.arg("text");
    }
  }
  return posts;
}

std::vector<std::string> SlackDriver::members() {
  std::vector<std::string> invited;
  for (const auto& call : api_.calls("conversations.invite")) invited.push_back(person_of(call.arg("users")));
  return invited;
}

std::string SlackDriver::plain(const std::string& text) const {
  return std::regex_replace(ChatDriver::plain(text), std::regex("#C1\\b"), "#" + cast().incident_channel);
}

std::string SlackDriver::channel_name(const std::string& id) const { return id == "C1" ? cast().incident_channel : id; }

SlackHttpDriver::SlackHttpDriver(ChatCast cast) : SlackDriver(std::move(cast)) {
  bot_ = std::make_unique<RunningBot>(config(), bot::Secrets{signing_secret, bot_token, std::nullopt}, this->cast().start);
}

Said SlackHttpDriver::command(const std::string& person, const std::string& text) {
  const auto answer =
      SlackSender(bot_->port(), signing_secret).command(as_slack_sends(text), bot_->now(), "C0GENERAL", id_of(person));
  if (answer.status != 200)
    throw std::runtime_error("Slack command answered HTTP " + std::to_string(answer.status) + ": " + answer.body);
  return said_of(json::parse(answer.body));
}

SlackSocketModeDriver::SlackSocketModeDriver(ChatCast cast) : SlackDriver(std::move(cast)) {
  api_.set_socket_mode_url(socket_.url());
  bot_ = std::make_unique<RunningBot>(config(), bot::Secrets{std::nullopt, bot_token, app_token}, this->cast().start,
                                      patient_socket_mode());
  if (!socket_.wait_for_connection(1, 30s))
    throw std::runtime_error("Socket Mode: the bot did not connect within 30 s");
}

Said SlackSocketModeDriver::command(const std::string& person, const std::string& text) {
  const std::string number = std::to_string(++envelopes_);
  const std::string envelope = "conformance-" + number;
  socket_.send_envelope(socket_.connections(), envelope, "slash_commands",
                        slash_command_payload(as_slack_sends(text), "2000." + number + ".sock", "C0GENERAL", id_of(person)));
  if (!socket_.wait_for_acks(envelope, 1, 30s))
    throw std::runtime_error("Socket Mode: envelope " + envelope + " was not acked within 30 s");
  const auto ack = socket_.acks(envelope).front();
  if (!ack.payload.is_object()) throw std::runtime_error("Socket Mode: the ack of " + envelope + " has no payload: " + ack.raw);
  return said_of(ack.payload);
}

}  // namespace incident_bot::fakes
