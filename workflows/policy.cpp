#include "workflows/policy.hpp"

#include <algorithm>

namespace incident_bot::workflows {

Seconds cadence_for(const Policy& policy, int severity) {
  const auto found = policy.cadence_by_severity.find(severity);
  return found != policy.cadence_by_severity.end() ? found->second : policy.default_cadence;
}

bool is_known_layer(const Policy& policy, std::string_view layer) {
  return std::find(policy.layers.begin(), policy.layers.end(), layer) != policy.layers.end();
}

std::string layer_list(const Policy& policy) {
  std::string text;
  for (const auto& layer : policy.layers) text += (text.empty() ? "" : ", ") + layer;
  return text;
}

std::string component_key(std::string_view name) {
  std::string key;
  for (unsigned char c : name) {
    if (c == ' ' || c == '-' || c == '_') {
      if (!key.empty() && key.back() != '-') key += '-';
    } else {
      key += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
  }
  while (!key.empty() && key.back() == '-') key.pop_back();
  return key;
}

const StatusComponent* component_named(const Policy& policy, std::string_view name) {
  const std::string key = component_key(name);
  for (const auto& component : policy.components)
    if (component_key(component.name) == key) return &component;
  return nullptr;
}

std::string component_list(const Policy& policy) {
  std::string text;
  for (const auto& component : policy.components) text += (text.empty() ? "" : ", ") + component.name;
  return text;
}

}  // namespace incident_bot::workflows
