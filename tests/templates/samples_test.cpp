// Golden files: every default template, for the sample with every field set and the one with
// most fields empty, as Block Kit JSON, Markdown and plain text. UPDATE_GOLDEN=1 rewrites them.
#include "templates/model.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace incident_bot;
using templates::Document;
namespace fs = std::filesystem;

namespace {

const fs::path golden_dir = fs::path(SOURCE_DIR) / "tests" / "templates" / "golden";

// Two-space indented JSON, so a golden diff shows which block changed.
void pretty(const boost::json::value& value, std::string& out, int depth) {
  const std::string indent(static_cast<std::size_t>(depth) * 2, ' ');
  const std::string inner(static_cast<std::size_t>(depth + 1) * 2, ' ');
  if (value.is_object()) {
    out += "{\n";
    bool first = true;
    for (const auto& member : value.as_object()) {
      out += (first ? "" : ",\n") + inner + boost::json::serialize(boost::json::value(member.key())) + ": ";
      pretty(member.value(), out, depth + 1);
      first = false;
    }
    out += "\n" + indent + "}";
  } else if (value.is_array()) {
    out += "[\n";
    bool first = true;
    for (const auto& item : value.as_array()) {
      out += (first ? "" : ",\n") + inner;
      pretty(item, out, depth + 1);
      first = false;
    }
    out += "\n" + indent + "]";
  } else {
    out += boost::json::serialize(value);
  }
}

std::string pretty(const std::string& json) {
  std::string out;
  pretty(boost::json::parse(json), out, 0);
  return out + "\n";
}

std::string slurp(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

void check_golden(const std::string& name, const std::string& actual) {
  const fs::path path = golden_dir / name;
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    fs::create_directories(golden_dir);
    std::ofstream(path, std::ios::binary) << actual;
  }
  INFO("golden file " << path.string() << " (UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(path));
  CHECK(slurp(path) == actual);
}

void check_sample(const std::string& sample_name, const templates::detail::Sample& sample) {
  const workflows::Policy policy;
  const templates::RenderContext context{&sample.incident, &sample.timeline, nullptr, sample.now, &sample.postmortem,
                                         &sample.earlier, &policy, nullptr};
  for (const auto document : templates::documents) {
    const std::string base = std::string(templates::document_name(document)) + "." + sample_name;
    SECTION(base) {
      const std::string mrkdwn = templates::render_text(document, {}, context);
      check_golden(base + ".md", templates::convert(mrkdwn, templates::Markup::markdown) + "\n");
      check_golden(base + ".txt", templates::convert(mrkdwn, templates::Markup::plain) + "\n");
      const std::string blocks = templates::render_blocks(document, {}, context);
      CHECK(blocks.find("_(template ") == std::string::npos);  // rendered, not the fallback
      CHECK(mrkdwn.find("_(template ") == std::string::npos);
      check_golden(base + ".blocks.json", pretty(blocks));
    }
  }
}

}  // namespace

TEST_CASE("every template renders as its golden files for an incident with every field set") {
  check_sample("full", templates::detail::full_sample());
}

TEST_CASE("every template renders as its golden files for an incident with most fields empty") {
  check_sample("empty", templates::detail::empty_sample());
}

TEST_CASE("the samples exercise what the golden files are meant to show") {
  const auto full = templates::detail::full_sample();
  CHECK(full.incident.state == State::closed);
  CHECK(workflows::missing_for_done(full.postmortem).empty());
  CHECK_FALSE(workflows::same_family(full.incident.number, full.incident.title, "measurement", full.earlier).empty());
  const auto empty = templates::detail::empty_sample();
  CHECK(empty.incident.owner.empty());
  CHECK(empty.postmortem.sections.empty());
}
