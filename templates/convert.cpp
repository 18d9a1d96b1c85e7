// mrkdwn -> Markdown or plain text: mentions, links and dates become readable, escapes are undone.
#include "templates/render.hpp"

#include <cctype>

namespace incident_bot::templates {

namespace {

bool is_boundary(char c) { return std::isspace(static_cast<unsigned char>(c)) || std::ispunct(static_cast<unsigned char>(c)); }

// <@U1|name>, <#C1|name>, <!here>, <!date^…|fallback>, <https://…|text>
std::string angle_token(std::string_view inner, Markup markup) {
  const auto bar = inner.find('|');
  const std::string_view target = inner.substr(0, bar);
  const std::string_view label = bar == std::string_view::npos ? std::string_view{} : inner.substr(bar + 1);
  if (target.starts_with("@")) return "@" + std::string(label.empty() ? target.substr(1) : label);
  if (target.starts_with("#")) return "#" + std::string(label.empty() ? target.substr(1) : label);
  if (target.starts_with("!date^")) return std::string(label);
  if (target.starts_with("!")) return "@" + std::string(target.substr(1));
  if (label.empty()) return std::string(target);
  if (markup == Markup::markdown) return "[" + std::string(label) + "](" + std::string(target) + ")";
  return std::string(label) + " (" + std::string(target) + ")";
}

std::string unescape(std::string_view text) {
  std::string plain;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i).starts_with("&lt;")) { plain += '<'; i += 3; }
    else if (text.substr(i).starts_with("&gt;")) { plain += '>'; i += 3; }
    else if (text.substr(i).starts_with("&amp;")) { plain += '&'; i += 4; }
    else plain += text[i];
  }
  return plain;
}

// *bold* (or _italic_) spans: an opening marker after a boundary and before a non-space, closed on
// the same line before a boundary. Markdown writes bold as **bold** and italic as _italic_ too.
std::string convert_spans(std::string_view line, char marker, Markup markup) {
  std::string out;
  std::size_t i = 0;
  while (i < line.size()) {
    const bool opens = line[i] == marker && (i == 0 || is_boundary(line[i - 1])) && i + 1 < line.size() && line[i + 1] != ' ';
    auto close = opens ? line.find(marker, i + 1) : std::string_view::npos;
    // An underscore inside a word (snake_case) neither opens nor closes italics.
    while (marker == '_' && close != std::string_view::npos && close + 1 < line.size() && !is_boundary(line[close + 1]))
      close = line.find(marker, close + 1);
    if (close != std::string_view::npos && close > i + 1 && line[close - 1] != ' ') {
      const std::string_view inner = line.substr(i + 1, close - i - 1);
      if (markup == Markup::plain) out += inner;
      else if (marker == '*') out += "**" + std::string(inner) + "**";
      else out += "_" + std::string(inner) + "_";
      i = close + 1;
    } else {
      out += line[i++];
    }
  }
  return out;
}

}  // namespace

std::string convert(std::string_view mrkdwn, Markup markup) {
  if (markup == Markup::mrkdwn) return std::string(mrkdwn);
  std::string tokens_done;
  for (std::size_t i = 0; i < mrkdwn.size(); ++i) {
    const auto close = mrkdwn[i] == '<' ? mrkdwn.find('>', i) : std::string_view::npos;
    if (close != std::string_view::npos) {
      tokens_done += angle_token(mrkdwn.substr(i + 1, close - i - 1), markup);
      i = close;
    } else {
      tokens_done += mrkdwn[i];
    }
  }
  std::string out;
  std::string_view rest = tokens_done;
  while (true) {
    const auto newline = rest.find('\n');
    const std::string bold_done = convert_spans(rest.substr(0, newline), '*', markup);
    out += markup == Markup::plain ? convert_spans(bold_done, '_', markup) : bold_done;
    if (newline == std::string_view::npos) break;
    out += '\n';
    rest.remove_prefix(newline + 1);
  }
  return unescape(out);
}

}  // namespace incident_bot::templates
