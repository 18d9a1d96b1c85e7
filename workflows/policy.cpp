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

}  // namespace incident_bot::workflows
