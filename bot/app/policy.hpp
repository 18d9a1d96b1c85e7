#pragma once
// The workflow rules a configuration asks for.
#include "bot/app/config.hpp"
#include "workflows/policy.hpp"

namespace incident_bot::bot {

workflows::Policy policy_from(const Config& config);

}  // namespace incident_bot::bot
