// The default templates, read from templates/*.mustache at build time (see CMakeLists.txt).
#include "templates/model.hpp"

namespace incident_bot::templates::detail {

const std::vector<std::pair<std::string_view, std::string_view>>& builtin_files() {
  static const std::vector<std::pair<std::string_view, std::string_view>> files{
#include "builtin_templates.inc"
  };
  return files;
}

}  // namespace incident_bot::templates::detail
