#pragma once
// The workflow rules a configuration asks for.
#include "bot/app/config.hpp"
#include "templates/status_page.hpp"
#include "workflows/policy.hpp"

namespace incident_bot::bot {

workflows::Policy policy_from(const Config& config);
// Where readers reach the status page, without a trailing slash: status_page.public_url, else http://<http.listen>.
std::string status_page_url(const Config& config);
templates::PageSettings page_settings_from(const Config& config);

}  // namespace incident_bot::bot
