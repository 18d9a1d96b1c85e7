#pragma once
// templates.dir: a folder of user templates, each replacing the built-in one with its file name.
#include "templates/render.hpp"

#include <memory>
#include <string>
#include <variant>

namespace incident_bot::bot {

// An empty dir gives the built-in templates. Every *.mustache file in the folder must be a known
// template name and must render; the first that does not is the error, named by its path.
// Other files (a README) are left alone. Read once, at start-up.
std::variant<std::shared_ptr<const templates::Library>, templates::TemplateError> load_templates(const std::string& dir);

}  // namespace incident_bot::bot
