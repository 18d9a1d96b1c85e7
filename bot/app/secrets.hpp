#pragma once
// Secrets come from the environment only: NAME, or NAME_FILE holding a path to read it from.
#include <optional>
#include <string>

namespace incident_bot::bot {

std::optional<std::string> secret(const std::string& name);

// Every credential the adapters use; an adapter runs when its credential is present.
struct Secrets {
  std::optional<std::string> slack_signing_secret;
  std::optional<std::string> slack_bot_token;
  std::optional<std::string> slack_app_token;
  std::optional<std::string> mattermost_bot_token;
  std::optional<std::string> mattermost_command_token;

  static Secrets from_environment();
};

}  // namespace incident_bot::bot
