// The template library: the built-in files, a user's overrides, and the check that refuses a
// broken override at start-up rather than falling back to the default.
#include "templates/model.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <charconv>

namespace incident_bot::templates {

namespace {

using kainjow::mustache::mustache;

std::size_t line_of(std::string_view text, std::size_t position) {
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(std::min(position, text.size())), '\n'));
}

// kainjow reports "… at 123", a byte offset; people read lines.
std::string with_line(std::string message, std::string_view text) {
  const auto at = message.rfind(" at ");
  if (at == std::string::npos) return message;
  std::size_t position = 0;
  const char* first = message.data() + at + 4;
  const char* last = message.data() + message.size();
  const auto [end, ec] = std::from_chars(first, last, position);
  if (ec != std::errc() || end != last) return message;
  return message.substr(0, at) + " on line " + std::to_string(line_of(text, position));
}

// Mustache's standalone rule, which kainjow applies only to sections that render: a line holding
// nothing but one section, inverted, closing or comment tag leaves no blank line behind. Such a
// line gets a marker, and lines left holding only the marker are dropped after rendering.
constexpr char standalone_marker = '\x01';  // a control character commands never accept

std::string marked_standalone_lines(std::string_view source) {
  std::string out;
  out.reserve(source.size() + 64);
  while (!source.empty()) {
    const auto newline = source.find('\n');
    const std::string_view line = source.substr(0, newline);
    source = newline == std::string_view::npos ? std::string_view{} : source.substr(newline + 1);
    const auto first = line.find_first_not_of(" \t\r");
    const auto last = line.find_last_not_of(" \t\r");
    const std::string_view tag = first == std::string_view::npos ? std::string_view{} : line.substr(first, last - first + 1);
    const bool standalone = tag.size() > 4 && tag.starts_with("{{") && tag.ends_with("}}") &&
                            std::string_view("#^/!").find(tag[2]) != std::string_view::npos &&
                            tag.find("{{", 2) == std::string_view::npos;
    out += standalone ? std::string(tag) + standalone_marker : std::string(line);
    if (newline != std::string_view::npos) out += '\n';
  }
  return out;
}

std::string without_marked_lines(std::string_view rendered) {
  std::string out;
  out.reserve(rendered.size());
  while (!rendered.empty()) {
    const auto newline = rendered.find('\n');
    const std::string_view line = rendered.substr(0, newline);
    rendered = newline == std::string_view::npos ? std::string_view{} : rendered.substr(newline + 1);
    if (line == std::string_view(&standalone_marker, 1)) continue;
    for (const char c : line)
      if (c != standalone_marker) out += c;
    if (newline != std::string_view::npos) out += '\n';
  }
  return out;
}

struct Rendered {
  std::string text;
  std::string error;
};

// A template is parsed once per thread and source: parsing costs more than rendering.
mustache& parsed(std::string_view source, bool json) {
  constexpr std::size_t most_sources = 64;
  thread_local std::map<std::pair<std::string, bool>, std::unique_ptr<mustache>, std::less<>> cache;
  auto found = cache.find(std::pair<std::string, bool>(source, json));
  if (found != cache.end()) return *found->second;
  if (cache.size() >= most_sources) cache.clear();
  auto tmpl = std::make_unique<mustache>(marked_standalone_lines(source));
  if (json) tmpl->set_custom_escape([](const std::string& value) { return detail::json_escape(value); });
  else tmpl->set_custom_escape([](const std::string& value) { return value; });  // values are mrkdwn already
  return *cache.emplace(std::pair<std::string, bool>(source, json), std::move(tmpl)).first->second;
}

Rendered render_source(std::string_view source, const detail::Data& data, bool json) {
  mustache& tmpl = parsed(source, json);
  if (!tmpl.is_valid()) return {{}, tmpl.error_message()};
  std::string text = without_marked_lines(tmpl.render(data));
  if (!tmpl.is_valid()) return {{}, tmpl.error_message()};
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return {std::move(text), {}};
}

std::optional<Document> document_of(std::string_view file, bool& is_blocks) {
  for (const auto document : documents) {
    if (file == text_file(document)) { is_blocks = false; return document; }
    if (file == blocks_file(document)) { is_blocks = true; return document; }
  }
  return std::nullopt;
}

// Every {{name}} must be a value the document has: a typo would otherwise render as nothing.
std::string unknown_name(std::string_view source, const std::set<std::string>& names, bool is_blocks) {
  if (source.find("{{=") != std::string_view::npos) return {};  // custom delimiters: the parser alone checks
  std::size_t position = 0;
  while ((position = source.find("{{", position)) != std::string_view::npos) {
    const bool triple = source.substr(position).starts_with("{{{");
    const auto close = source.find(triple ? "}}}" : "}}", position);
    if (close == std::string_view::npos) return {};  // the parser reports the unclosed tag
    std::string_view tag = source.substr(position + (triple ? 3 : 2), close - position - (triple ? 3 : 2));
    const std::string where = " on line " + std::to_string(line_of(source, position));
    position = close + 2;
    if (tag.empty() || tag.front() == '!') continue;
    const char sigil = tag.front();
    if (sigil == '>') return "partials ({{>…}}) are not supported" + where;
    if (is_blocks && (triple || sigil == '&'))
      return "unescaped value {{" + std::string(triple ? "{" : "") + std::string(tag) + (triple ? "}" : "") +
             "}}" + where + ": values in blocks must be JSON-escaped, write {{name}}";
    if (sigil == '#' || sigil == '^' || sigil == '/' || sigil == '&') tag.remove_prefix(1);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag == "." || names.contains(std::string(tag))) continue;
    return "unknown value {{" + std::string(tag) + "}}" + where + " (README lists the values of each template)";
  }
  return {};
}

std::string check_rendering(Document document, bool is_blocks, std::string_view source);

std::string check(std::string_view file, std::string_view source) {
  bool is_blocks = false;
  const auto document = document_of(file, is_blocks);
  if (!document) {
    std::string known;
    for (const auto& name : template_files()) known += (known.empty() ? "" : ", ") + name;
    return "not a template name; expected one of " + known;
  }
  const mustache parsed{std::string(source)};
  if (!parsed.is_valid()) return with_line(parsed.error_message(), source);

  try {
    return check_rendering(*document, is_blocks, source);
  } catch (const std::exception& failure) {  // a template must never take the bot down: report it
    return std::string("rendering failed: ") + failure.what();
  }
}

std::string check_rendering(Document document, bool is_blocks, std::string_view source) {
  const auto context_of = [](const detail::Sample& sample) {
    return RenderContext{&sample.incident, &sample.timeline, nullptr, sample.now, &sample.postmortem,
                         &sample.earlier, nullptr, nullptr};
  };
  // The full sample sets every name, list items included.
  std::set<std::string> names;
  detail::model(document, "lead line", context_of(detail::full_sample()), &names);
  if (auto unknown = unknown_name(source, names, is_blocks); !unknown.empty()) return unknown;

  for (const auto& sample : {detail::full_sample(), detail::empty_sample()}) {
    const auto data = detail::model(document, "lead line", context_of(sample), nullptr);
    const auto rendered = render_source(source, data, is_blocks);
    if (!rendered.error.empty()) return rendered.error;
    if (is_blocks) {
      if (auto blocks = checked_blocks(rendered.text); !blocks.error.empty()) return blocks.error;
    }
  }
  return {};
}

const Library& builtin_library() {
  static const Library library;
  return library;
}

}  // namespace

std::string_view document_name(Document document) {
  switch (document) {
    case Document::card: return "card";
    case Document::update: return "update";
    case Document::announcement: return "announcement";
    case Document::reminder: return "reminder";
    case Document::postmortem: return "postmortem";
    case Document::comms_nudge: return "comms_nudge";
    case Document::comms_fallback: return "comms_fallback";
    case Document::close_nudge: return "close_nudge";
    case Document::publish_nudge: return "publish_nudge";
    case Document::postmortem_nudge: return "postmortem_nudge";
  }
  return "unknown";
}

std::string text_file(Document document) { return std::string(document_name(document)) + ".text.mustache"; }
std::string blocks_file(Document document) { return std::string(document_name(document)) + ".blocks.mustache"; }

std::vector<std::string> template_files() {
  std::vector<std::string> files;
  for (const auto document : documents) {
    files.push_back(text_file(document));
    files.push_back(blocks_file(document));
  }
  return files;
}

Library::Library() {
  for (const auto& [name, text] : detail::builtin_files()) sources_.emplace(std::string(name), std::string(text));
}

std::variant<Library, TemplateError> Library::with_overrides(const std::map<std::string, std::string>& files) {
  Library library;
  for (const auto& [file, text] : files) {
    if (auto problem = check(file, text); !problem.empty()) return TemplateError{file, std::move(problem)};
    library.sources_[file] = text;
    library.overridden_.push_back(file);
  }
  return library;
}

const std::string& Library::source(std::string_view file) const {
  static const std::string none;
  const auto found = sources_.find(file);
  return found == sources_.end() ? none : found->second;
}

namespace {

std::string render_text_as_given(Document document, const std::string& lead, const RenderContext& context) {
  const Library& library = context.library ? *context.library : builtin_library();
  const std::string file = text_file(document);
  const auto rendered = render_source(library.source(file), detail::model(document, lead, context, nullptr), false);
  if (!rendered.error.empty()) return "_(template " + file + " failed: " + rendered.error + ")_";
  return rendered.text;
}

// The context with timeline_from moved on until the document's text fits message_limit: the newest entries stay.
RenderContext fitted(Document document, const std::string& lead, const RenderContext& context) {
  if (document != Document::postmortem || context.message_limit == 0 || !context.timeline) return context;
  const std::size_t entries = context.timeline->size();
  const auto fits_from = [&](std::size_t from) {
    RenderContext trial = context;
    trial.timeline_from = from;
    return render_text_as_given(document, lead, trial).size() <= context.message_limit;
  };
  if (context.timeline_from >= entries || fits_from(context.timeline_from)) return context;
  // The smallest start that fits, found in a few renders; with every entry left out it is the last resort.
  std::size_t low = context.timeline_from + 1, high = entries;
  while (low < high) {
    const std::size_t middle = low + (high - low) / 2;
    if (fits_from(middle)) high = middle;
    else low = middle + 1;
  }
  RenderContext result = context;
  result.timeline_from = low;
  return result;
}

}  // namespace

std::string render_text(Document document, const std::string& lead, const RenderContext& context) {
  return render_text_as_given(document, lead, fitted(document, lead, context));
}

std::string render_blocks(Document document, const std::string& lead, const RenderContext& given_context) {
  const RenderContext context = fitted(document, lead, given_context);
  const Library& library = context.library ? *context.library : builtin_library();
  const std::string file = blocks_file(document);
  const auto rendered = render_source(library.source(file), detail::model(document, lead, context, nullptr), true);
  CheckedBlocks blocks{{}, rendered.error};
  try {
    if (rendered.error.empty()) blocks = checked_blocks(rendered.text);
  } catch (const std::exception& failure) {
    blocks.error = failure.what();
  }
  if (blocks.error.empty()) return blocks.json;
  // Checked at start-up, so this is a bug, shown rather than hidden.
  return text_blocks(render_text_as_given(document, lead, context) + "\n_(template " + file + " failed: " + blocks.error + ")_");
}

}  // namespace incident_bot::templates
