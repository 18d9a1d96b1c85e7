#include "bot/app/secrets.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace incident_bot::bot {

std::optional<std::string> secret(const std::string& name) {
  if (const char* value = std::getenv(name.c_str()); value && *value) return std::string(value);
  const char* path = std::getenv((name + "_FILE").c_str());
  if (!path || !*path) return std::nullopt;
  std::ifstream file(path);
  if (!file) return std::nullopt;
  std::ostringstream content;
  content << file.rdbuf();
  std::string text = content.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return std::nullopt;
  return text;
}

Secrets Secrets::from_environment() {
  return Secrets{secret("SLACK_SIGNING_SECRET"), secret("SLACK_BOT_TOKEN"), secret("SLACK_APP_TOKEN"),
                 secret("MATTERMOST_BOT_TOKEN"), secret("MATTERMOST_COMMAND_TOKEN")};
}

}  // namespace incident_bot::bot
