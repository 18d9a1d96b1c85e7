#include "templates/model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

using namespace incident_bot;

TEST_CASE("every template file has a built-in default, and there is nothing else built in") {
  std::vector<std::string> builtin;
  for (const auto& [name, text] : templates::detail::builtin_files()) {
    builtin.emplace_back(name);
    CHECK_FALSE(text.empty());
  }
  std::sort(builtin.begin(), builtin.end());
  auto expected = templates::template_files();
  std::sort(expected.begin(), expected.end());
  CHECK(builtin == expected);
}

TEST_CASE("the built-in templates pass the same check as a user's") {
  std::map<std::string, std::string> files;
  for (const auto& [name, text] : templates::detail::builtin_files()) files.emplace(name, text);
  const auto library = templates::Library::with_overrides(files);
  if (const auto* error = std::get_if<templates::TemplateError>(&library)) FAIL(error->describe());
}

TEST_CASE("template file names: <document>.text.mustache and <document>.blocks.mustache") {
  CHECK(templates::text_file(templates::Document::card) == "card.text.mustache");
  CHECK(templates::blocks_file(templates::Document::postmortem) == "postmortem.blocks.mustache");
  CHECK(templates::template_files().size() == 20);
}
