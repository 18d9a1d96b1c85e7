#pragma once
// Turns a workflow Message into text and Slack blocks. The documents with templates (card,
// update, announcement, reminder, postmortem, and each nudge) render from Mustache files: the defaults built into
// the binary, or a user's overrides with the same file names. Text is composed in mrkdwn, then
// converted per platform; blocks are Block Kit JSON within Slack's limits.
#include "workflows/outcome.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace incident_bot::templates {

enum class Markup { mrkdwn, markdown, plain };

enum class Document {
  card, update, announcement, reminder, postmortem,
  comms_nudge, comms_fallback, close_nudge, publish_nudge, postmortem_nudge,
};
inline constexpr Document documents[]{Document::card,          Document::update,           Document::announcement,
                                      Document::reminder,      Document::postmortem,       Document::comms_nudge,
                                      Document::comms_fallback, Document::close_nudge,     Document::publish_nudge,
                                      Document::postmortem_nudge};
std::string_view document_name(Document document);  // "card"

// "<document>.text.mustache": mrkdwn, converted to Markdown and plain text.
// "<document>.blocks.mustache": a JSON array of Slack blocks; values inside are JSON-escaped.
std::string text_file(Document document);
std::string blocks_file(Document document);
std::vector<std::string> template_files();  // every file name a templates.dir may hold

struct TemplateError {
  std::string file;     // "card.blocks.mustache"
  std::string message;  // what is wrong, with the line when known
  std::string describe() const { return file + ": " + message; }
};

class Library {
 public:
  Library();  // the defaults compiled into the binary
  // Each file replaces the default with its name. Any file that is not a known template name,
  // does not parse, names an unknown value, or renders to invalid blocks is an error.
  static std::variant<Library, TemplateError> with_overrides(const std::map<std::string, std::string>& files);

  const std::string& source(std::string_view file) const;
  const std::vector<std::string>& overridden() const { return overridden_; }

 private:
  std::map<std::string, std::string, std::less<>> sources_;
  std::vector<std::string> overridden_;
};

struct RenderContext {
  const Incident* incident = nullptr;
  const std::vector<TimelineEntry>* timeline = nullptr;
  const std::vector<Incident>* open = nullptr;
  Timestamp now = 0;
  const Postmortem* postmortem = nullptr;
  const std::vector<PastIncident>* earlier = nullptr;  // for "same family as" in the postmortem
  const workflows::Policy* policy = nullptr;           // cadence and layers; null: the defaults
  const Library* library = nullptr;                    // null: the built-in templates
  // Bytes of mrkdwn a timeline or postmortem may take (the chat's message limit); 0: no limit (export).
  // Past it the newest timeline entries that fit are shown, after a line naming the earlier ones.
  std::size_t message_limit = 0;
  std::size_t timeline_from = 0;  // entries before this index are left out; set by the renderer to fit
};

std::string render(const workflows::Message& message, const RenderContext& context);  // mrkdwn
// The same message as a Slack Block Kit JSON array, within Slack's limits.
std::string blocks(const workflows::Message& message, const RenderContext& context);

// One templated document, rendered from the library's files.
std::string render_text(Document document, const std::string& lead, const RenderContext& context);
std::string render_blocks(Document document, const std::string& lead, const RenderContext& context);

// The documents behind the views that have no template file.
std::string roles(const Incident& incident);
// Every entry, or within message_limit bytes the newest that fit, after a line naming the earlier ones.
std::string timeline(const Incident& incident, const std::vector<TimelineEntry>& entries, std::size_t message_limit = 0);
// The line that stands for the entries left out: how many, and the command that prints them all.
std::string earlier_entries_line(const Incident& incident, std::size_t left_out);
std::string open_list(const std::vector<Incident>& open, Timestamp now);
std::string help(std::string_view verb);
std::string topic(const Incident& incident);  // one line: id, severity, state, owner, next update

// mrkdwn -> standard Markdown (Mattermost, export) or plain text (console).
std::string convert(std::string_view mrkdwn, Markup markup);

// Slack's Block Kit limits, in bytes (never fewer than Slack's characters).
inline constexpr std::size_t max_blocks = 50;
inline constexpr std::size_t max_section_text = 3000;
inline constexpr std::size_t max_field_text = 2000;
inline constexpr std::size_t max_fields = 10;
inline constexpr std::size_t max_header_text = 150;
// A mrkdwn text as section blocks, split and truncated within the limits.
std::string text_blocks(std::string_view mrkdwn);
// Rendered blocks JSON, parsed and brought within the limits; an error when it is not a JSON
// array of blocks.
struct CheckedBlocks {
  std::string json;   // compact JSON array
  std::string error;  // empty when json is good
};
CheckedBlocks checked_blocks(std::string_view rendered);

}  // namespace incident_bot::templates
