#pragma once
// The configuration file: JSON with comments, every key checked, secrets never here.
#include "commands/vocabulary.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace incident_bot::bot {

struct Config {
  struct Store {
    std::string path = "data/incident-bot.db";
    int batch_max_commands = 256;  // commands that may share one commit
    int batch_max_wait_ms = 0;     // how long a batch waits for company; 0: it starts when the loop is free
    Seconds keep_delivery_ids = 2 * 86400;  // a delivery id answered longer ago is forgotten
    Seconds keep_delivered = 14 * 86400;    // a post delivered longer ago leaves the outbox
  } store;
  struct Http {
    std::string listen = "127.0.0.1:3000";
    int max_connections = 512;  // beyond it a new connection is answered 503 and closed
    Seconds idle_timeout = 10;  // a kept-alive connection with no request this long is closed
  } http;
  struct Slack {
    std::string api_url = "https://slack.com/api";
    std::string announce_channel = "incidents";
    bool incident_channels = true;
    std::string channel_prefix = "inc";
  } slack;
  struct Mattermost {
    std::string url;
    std::string team_id;
    std::string announce_channel;
    std::string dialog_url;  // where Mattermost posts submitted dialogs; "": /mattermost/dialogs on the command's host
  } mattermost;
  struct Tls {
    std::string ca_file;
    bool allow_insecure_urls = false;  // http:// chat URLs, for stand-ins on loopback: tokens then travel in clear text
  } tls;
  struct Cadence {
    Seconds default_every = 6 * 3600;
    std::map<int, Seconds> by_severity{{1, 3600}, {2, 2 * 3600}};  // severity -> cadence
  } cadence;
  struct Reminders {
    std::vector<Seconds> escalate_after{15 * 60, 3600};
    Seconds comms_lead_after = 15 * 60;
    std::string comms_fallback;
    Seconds postmortem_every = 86400;
  } reminders;
  struct Close { Seconds monitor_for = 30 * 60; } close;
  struct Changes { Seconds in_flight_for = 30 * 60; } changes;
  struct Outbox {
    Seconds give_up_after = 24 * 3600;  // a post still failing after this is failed for good
    Seconds stuck_after = 10 * 60;      // /healthz answers 503 while a post waits longer than this
  } outbox;
  struct StatusPage {
    struct Component { std::string name; std::string description; };
    bool enabled = true;
    std::string title = "Status";
    std::vector<Component> components;
    int history_days = 14;
    Seconds nudge_after = 30 * 60;
    std::string public_url;  // where readers reach the page; "" means http://<http.listen>
  } status_page;
  std::vector<std::string> layers{"economics", "measurement", "conversion", "delivery", "operations"};
  struct Templates { std::string dir; } templates;
};

struct ConfigError {
  std::string key;      // "cadence.sev2"; empty when the document itself is malformed
  std::string message;  // what is wrong with it
  std::string describe() const { return key.empty() ? message : key + ": " + message; }
};

using ConfigResult = std::variant<Config, ConfigError>;

// The chat URL keys that carry a bearer token over plain http:// ("slack.api_url", "mattermost.url").
std::vector<std::string> insecure_url_keys(const Config& config);
// Refuses the first of those unless tls.allow_insecure_urls is set; parse_config and the runtime both ask.
std::optional<ConfigError> check_transport(const Config& config);

// Absent keys keep their defaults; unknown keys and bad values are errors naming the key.
ConfigResult parse_config(std::string_view json_text);
ConfigResult load_config(const std::string& path);  // a missing file is an error naming the path

}  // namespace incident_bot::bot
