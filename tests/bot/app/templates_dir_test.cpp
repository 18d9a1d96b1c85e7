#include "bot/app/templates_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>

using namespace incident_bot;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("incident-bot-templates-" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  void write(const std::string& name, const std::string& text) const { std::ofstream(path / name) << text; }
};

}  // namespace

TEST_CASE("no templates.dir: the built-in templates") {
  const auto loaded = bot::load_templates("");
  REQUIRE(std::holds_alternative<std::shared_ptr<const templates::Library>>(loaded));
  CHECK(std::get<0>(loaded)->overridden().empty());
}

TEST_CASE("the *.mustache files in templates.dir replace the defaults; other files are left alone") {
  TempDir dir;
  dir.write("announcement.text.mustache", "{{id}} declared: {{title}}");
  dir.write("README.md", "my templates");
  const auto loaded = bot::load_templates(dir.path.string());
  REQUIRE(std::holds_alternative<std::shared_ptr<const templates::Library>>(loaded));
  const auto& library = *std::get<0>(loaded);
  CHECK(library.overridden() == std::vector<std::string>{"announcement.text.mustache"});
  CHECK(library.source("announcement.text.mustache") == "{{id}} declared: {{title}}");
}

TEST_CASE("a broken template in templates.dir is an error naming its path") {
  TempDir dir;
  dir.write("card.blocks.mustache", "[{\"type\": \"section\", \"text\": {{title}}}]");
  const auto loaded = bot::load_templates(dir.path.string());
  const auto* error = std::get_if<templates::TemplateError>(&loaded);
  REQUIRE(error);
  CHECK(error->file == (dir.path / "card.blocks.mustache").string());
  CHECK_THAT(error->describe(), Catch::Contains("card.blocks.mustache: the rendered blocks are not valid JSON"));
}

TEST_CASE("a misspelt template name or a missing folder is an error, not ignored") {
  TempDir dir;
  dir.write("crad.text.mustache", "{{id}}");
  const auto misspelt = bot::load_templates(dir.path.string());
  REQUIRE(std::holds_alternative<templates::TemplateError>(misspelt));
  CHECK_THAT(std::get<templates::TemplateError>(misspelt).message, Catch::Contains("not a template name"));

  const auto missing = bot::load_templates((dir.path / "nope").string());
  REQUIRE(std::holds_alternative<templates::TemplateError>(missing));
  CHECK_THAT(std::get<templates::TemplateError>(missing).describe(), Catch::Contains("nope: templates.dir is not a readable folder"));
}
