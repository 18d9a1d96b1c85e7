#pragma once
// A plain HTTP/1.1 caller for tests: what Slack or Mattermost sends, over a real loopback socket.
#include <map>
#include <string>

namespace incident_bot::fakes {

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lowercase names
};

// One request on a fresh connection to 127.0.0.1:port.
HttpAnswer http_call(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
                     const std::map<std::string, std::string>& headers = {});

// Signs like Slack: X-Slack-Request-Timestamp and X-Slack-Signature (v0) over the body.
class SlackSender {
 public:
  SlackSender(unsigned short port, std::string signing_secret) : port_(port), secret_(std::move(signing_secret)) {}

  HttpAnswer post(const std::string& target, const std::string& body, long long timestamp,
                  std::map<std::string, std::string> headers = {}) const;
  // A slash command: the form fields Slack sends, text percent-encoded.
  HttpAnswer command(const std::string& text, long long timestamp, const std::string& channel = "C0GENERAL",
                     const std::string& user = "U0ALICE", const std::string& trigger = "") const;
  // An interactivity payload (JSON) in its form field.
  HttpAnswer interaction(const std::string& payload_json, long long timestamp) const;

 private:
  unsigned short port_;
  std::string secret_;
};

// Sends slash commands as Mattermost does: form fields, "Authorization: Token …", the token field
// too; @mentions listed in user_mentions / user_mentions_ids (a Mattermost username -> id).
class MattermostSender {
 public:
  MattermostSender(unsigned short port, std::string token) : port_(port), token_(std::move(token)) {}

  // The form body Mattermost sends for `text` typed by user (id, username) in channel.
  std::string form(const std::string& text, const std::string& channel, const std::string& user_id,
                   const std::string& user_name, const std::map<std::string, std::string>& mentions = {}) const;
  // POST /mattermost/commands with the token header and field.
  HttpAnswer command(const std::string& text, const std::string& channel, const std::string& user_id,
                     const std::string& user_name, const std::map<std::string, std::string>& mentions = {}) const;
  // GET /mattermost/commands?<form> (the command's method set to GET), the token in the header only.
  HttpAnswer command_by_get(const std::string& text, const std::string& channel, const std::string& user_id,
                            const std::string& user_name) const;

 private:
  unsigned short port_;
  std::string token_;
};

}  // namespace incident_bot::fakes
