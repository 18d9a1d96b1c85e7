// Block Kit within Slack's limits: long section text is split across sections, long fields and
// headers are cut with a visible marker, and past 50 blocks the rest is replaced by a note.
#include "templates/render.hpp"

#include <boost/json.hpp>

namespace incident_bot::templates {

namespace {

namespace json = boost::json;

constexpr std::string_view cut_marker = " … (truncated)";
constexpr std::size_t max_block_id = 255;
constexpr std::size_t max_context_elements = 10;

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The largest cut at or before `limit` that splits no UTF-8 character, no &entity; and no <token>.
std::size_t safe_cut(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text.size();
  std::size_t cut = limit;
  while (cut > 0 && is_continuation(text[cut])) --cut;
  const auto open_token = text.rfind('<', cut == 0 ? 0 : cut - 1);
  if (open_token != std::string_view::npos && text.find('>', open_token) >= cut && cut - open_token < 200 && open_token > 0)
    cut = open_token;
  const auto ampersand = text.rfind('&', cut == 0 ? 0 : cut - 1);
  if (ampersand != std::string_view::npos && cut - ampersand <= 5 && text.find(';', ampersand) >= cut && ampersand > 0)
    cut = ampersand;
  return cut == 0 ? limit : cut;
}

std::string truncated(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return std::string(text);
  return std::string(text.substr(0, safe_cut(text, limit - cut_marker.size()))) + std::string(cut_marker);
}

// Pieces of at most `limit` bytes, cut at line breaks where a line fits, inside a line otherwise.
std::vector<std::string> split_text(std::string_view text, std::size_t limit) {
  std::vector<std::string> pieces;
  while (text.size() > limit) {
    std::size_t cut = text.rfind('\n', limit);
    if (cut == std::string_view::npos || cut == 0) cut = safe_cut(text, limit);
    pieces.emplace_back(text.substr(0, cut));
    text.remove_prefix(cut);
    if (!text.empty() && text.front() == '\n') text.remove_prefix(1);
  }
  if (!text.empty() || pieces.empty()) pieces.emplace_back(text);
  return pieces;
}

json::object section(std::string_view type, std::string_view text) {
  return json::object{{"type", "section"}, {"text", json::object{{"type", type}, {"text", text}}}};
}

std::string text_of(const json::object& holder) {
  const auto* text = holder.if_contains("text");
  return text && text->is_string() ? std::string(text->as_string()) : std::string();
}

void cut_text(json::object& holder, std::size_t limit) {
  if (auto* text = holder.if_contains("text"); text && text->is_string() && text->as_string().size() > limit)
    *text = truncated(text->as_string(), limit);
}

// A section becomes one or more sections: its text split, its fields cut and taken ten at a time.
void add_section(json::array& out, json::object block) {
  json::array fields;
  if (auto* found = block.if_contains("fields"); found && found->is_array()) {
    fields = found->as_array();
    block.erase("fields");
  }
  for (auto& field : fields)
    if (field.is_object()) cut_text(field.as_object(), max_field_text);

  std::vector<std::string> pieces;
  std::string type = "mrkdwn";
  if (auto* text = block.if_contains("text"); text && text->is_object()) {
    if (const auto* given = text->as_object().if_contains("type"); given && given->is_string())
      type = std::string(given->as_string());
    const std::string whole = text_of(text->as_object());
    if (whole.empty()) block.erase("text");  // Slack refuses empty text; fields may still carry the block
    else pieces = split_text(whole, max_section_text);
  }
  if (!pieces.empty()) block["text"].as_object()["text"] = pieces.front();
  const std::size_t first_fields = std::min(fields.size(), max_fields);
  if (first_fields > 0) block["fields"] = json::array(fields.begin(), fields.begin() + static_cast<std::ptrdiff_t>(first_fields));
  if (!pieces.empty() || first_fields > 0) out.push_back(std::move(block));
  for (std::size_t i = 1; i < pieces.size(); ++i) out.push_back(section(type, pieces[i]));
  for (std::size_t start = first_fields; start < fields.size(); start += max_fields) {
    const std::size_t end = std::min(fields.size(), start + max_fields);
    out.push_back(json::object{{"type", "section"},
                               {"fields", json::array(fields.begin() + static_cast<std::ptrdiff_t>(start),
                                                      fields.begin() + static_cast<std::ptrdiff_t>(end))}});
  }
}

json::array within_limits(const json::array& blocks) {
  json::array out;
  for (const auto& value : blocks) {
    json::object block = value.as_object();
    if (auto* id = block.if_contains("block_id"); id && id->is_string() && id->as_string().size() > max_block_id)
      *id = std::string(id->as_string()).substr(0, safe_cut(id->as_string(), max_block_id));
    const std::string type(block.at("type").as_string());
    if (type == "section") {
      add_section(out, std::move(block));
      continue;
    }
    if (type == "header") {
      if (auto* text = block.if_contains("text"); text && text->is_object()) cut_text(text->as_object(), max_header_text);
    } else if (type == "context") {
      if (auto* elements = block.if_contains("elements"); elements && elements->is_array()) {
        auto& list = elements->as_array();
        if (list.size() > max_context_elements) list.resize(max_context_elements);
        for (auto& element : list)
          if (element.is_object()) cut_text(element.as_object(), max_section_text);
      }
    }
    out.push_back(std::move(block));
  }
  if (out.size() > max_blocks) {
    const std::size_t hidden = out.size() - (max_blocks - 1);
    out.resize(max_blocks - 1);
    out.push_back(section("mrkdwn", "_… " + std::to_string(hidden) +
                                        " more blocks not shown: Slack allows 50 in one message. "
                                        "`incident-bot export` prints the whole document._"));
  }
  return out;
}

}  // namespace

std::string text_blocks(std::string_view mrkdwn) {
  return json::serialize(within_limits(json::array{section("mrkdwn", mrkdwn)}));
}

CheckedBlocks checked_blocks(std::string_view rendered) {
  boost::system::error_code ec;
  const json::value parsed = json::parse(rendered, ec);
  if (ec) return {{}, "the rendered blocks are not valid JSON: " + ec.message()};
  if (!parsed.is_array()) return {{}, "the rendered blocks are not a JSON array"};
  std::size_t position = 0;
  for (const auto& block : parsed.as_array()) {
    ++position;
    const auto* type = block.is_object() ? block.as_object().if_contains("type") : nullptr;
    if (!type || !type->is_string()) return {{}, "block " + std::to_string(position) + " is not an object with a \"type\""};
  }
  return {json::serialize(within_limits(parsed.as_array())), {}};
}

}  // namespace incident_bot::templates
