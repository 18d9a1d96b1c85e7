#pragma once
// Secrets come from the environment only: NAME, or NAME_FILE holding a path to read it from.
#include <optional>
#include <string>

namespace incident_bot::bot {

std::optional<std::string> secret(const std::string& name);

}  // namespace incident_bot::bot
