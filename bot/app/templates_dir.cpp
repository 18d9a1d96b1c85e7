#include "bot/app/templates_dir.hpp"

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace incident_bot::bot {

std::variant<std::shared_ptr<const templates::Library>, templates::TemplateError> load_templates(const std::string& dir) {
  namespace fs = std::filesystem;
  if (dir.empty()) return std::make_shared<const templates::Library>();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return templates::TemplateError{dir, "templates.dir is not a readable folder"};

  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with(".mustache")) continue;
    std::ifstream file(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    if (!file && !file.eof()) return templates::TemplateError{entry.path().string(), "cannot be read"};
    files[name] = text.str();
  }
  if (ec) return templates::TemplateError{dir, "cannot list the folder: " + ec.message()};

  auto loaded = templates::Library::with_overrides(files);
  if (auto* error = std::get_if<templates::TemplateError>(&loaded)) {
    error->file = (fs::path(dir) / error->file).string();
    return std::move(*error);
  }
  return std::make_shared<const templates::Library>(std::move(std::get<templates::Library>(loaded)));
}

}  // namespace incident_bot::bot
