// The status page as HTML: no script needed, no external assets, landmarks and headings for screen readers,
// every state in words as well as colour.
#include "templates/status_page.hpp"

#include "workflows/markup.hpp"

namespace incident_bot::templates {
namespace {

constexpr std::string_view style = R"css(
:root{color-scheme:light dark;--ok:#1a7f37;--minor:#9a6700;--major:#bc4c00;--critical:#cf222e;--muted:#57606a}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main,footer{max-width:48rem;margin:0 auto;padding:0 1rem}h1{font-size:1.6rem;margin:1.2rem 0 .6rem}
h2{font-size:1.2rem;margin:1.6rem 0 .6rem}h3{font-size:1.05rem;margin:0 0 .3rem}
.banner{border-radius:.5rem;padding:.8rem 1rem;color:#fff;background:var(--ok)}.banner h2{margin:0}
.banner p{margin:.2rem 0 0}.impact-minor{background:var(--minor)}.impact-major{background:var(--major)}
.impact-critical{background:var(--critical)}ul.components{list-style:none;padding:0;margin:0}
ul.components li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.5rem;padding:.5rem 0;
border-bottom:1px solid #8884}.state{font-weight:600}.state-operational{color:var(--ok)}
.state-degraded_performance{color:var(--minor)}.state-partial_outage{color:var(--major)}
.state-major_outage{color:var(--critical)}.description,.when,.meta{color:var(--muted);font-size:.9rem;margin:0}
.description{flex-basis:100%}article{border:1px solid #8886;border-radius:.5rem;padding:.8rem 1rem;margin:.8rem 0}
ol.updates{list-style:none;padding:0;margin:.4rem 0 0}ol.updates li{padding:.4rem 0;border-top:1px solid #8883}
ol.updates p{margin:0}.postmortem{margin-top:.6rem}footer{padding:2rem 1rem;color:var(--muted);font-size:.9rem}
a{color:inherit}
)css";

constexpr std::string_view script =
    "for(const t of document.querySelectorAll('time[datetime]')){const d=new Date(t.dateTime);"
    "if(!isNaN(d))t.textContent+=' ('+d.toLocaleString([],{dateStyle:'medium',timeStyle:'short'})+' your time)';}";

std::string time_element(Timestamp at) {
  return "<time datetime=\"" + iso_time(at) + "\">" + markup::utc_time(at) + "</time>";
}

std::string incident_link(const PublicEntry& entry) { return "/status/incidents/" + entry.public_id; }

std::string head(const PageSettings& settings, const std::string& title) {
  return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         html_escape(title) + "</title>\n<link rel=\"alternate\" type=\"application/atom+xml\" href=\"/history.atom\" title=\"" +
         html_escape(settings.title) + " history\">\n<style>" + std::string(style) + "</style>\n</head>\n<body>\n";
}

std::string foot() {
  return "<footer role=\"contentinfo\"><p><a href=\"/history.atom\">Atom feed</a> · "
         "<a href=\"/api/v2/summary.json\">JSON (Statuspage API v2)</a></p></footer>\n<script>" +
         std::string(script) + "</script>\n</body>\n</html>\n";
}

std::string updates_list(const PublicEntry& entry) {
  std::string html = "<ol class=\"updates\" reversed>\n";
  for (auto update = entry.updates.rbegin(); update != entry.updates.rend(); ++update) {
    html += "<li id=\"update-" + std::to_string(update->sequence) + "\"><p><strong>" +
            std::string(status_words(update->status)) + "</strong> — " + html_escape(update->body) +
            "</p><p class=\"when\">Posted " + time_element(update->display_at) + "</p></li>\n";
  }
  return html + "</ol>\n";
}

std::string affected(const PublicEntry& entry) {
  const PublicUpdate& latest = *entry.latest_released();
  std::string text = "Impact: " + std::string(to_string(latest.impact));
  if (!latest.components.empty()) {
    text += " · Affects: ";
    for (std::size_t i = 0; i < latest.components.size(); ++i) text += (i ? ", " : "") + html_escape(latest.components[i]);
  }
  return "<p class=\"meta\">" + text + "</p>\n";
}

std::string postmortem_section(const PublicEntry& entry) {
  if (entry.postmortem_summary.empty()) return {};
  return "<section class=\"postmortem\" id=\"postmortem\" aria-label=\"Postmortem summary\"><h2>Postmortem</h2><p>" +
         html_escape(entry.postmortem_summary) + "</p><p class=\"when\">Published " + time_element(entry.postmortem_at) +
         "</p></section>\n";
}

std::string incident_article(const PublicEntry& entry, bool with_updates) {
  const std::string heading = "incident-" + entry.public_id;
  std::string html = "<article aria-labelledby=\"" + heading + "\">\n<h3 id=\"" + heading + "\"><a href=\"" +
                     incident_link(entry) + "\">" + html_escape(entry.title) + "</a></h3>\n" + affected(entry);
  if (!entry.postmortem_summary.empty())
    html += "<p class=\"meta\"><a href=\"" + incident_link(entry) + "#postmortem\">Read the postmortem summary</a></p>\n";
  if (with_updates) html += updates_list(entry);
  else
    html += "<p class=\"when\">" + std::string(status_words(entry.latest_released()->status)) + " " +
            time_element(entry.latest_released()->display_at) + "</p>\n";
  return html + "</article>\n";
}

std::string banner(const PageView& view) {
  const Impact overall = impact_on(view, "");
  const Timestamp updated = page_updated_at(view);
  return "<section class=\"banner impact-" + std::string(to_string(overall)) +
         "\" aria-labelledby=\"overall\" role=\"status\">\n<h2 id=\"overall\">" +
         std::string(indicator_description(overall)) + "</h2>\n<p>" +
         (updated ? "Updated " + time_element(updated) : std::string("No incidents reported")) + "</p>\n</section>\n";
}

std::string components_section(const PageView& view) {
  if (view.settings.components.empty()) return {};
  std::string html = "<section aria-labelledby=\"components\">\n<h2 id=\"components\">Components</h2>\n<ul class=\"components\">\n";
  for (const auto& component : view.settings.components) {
    const Impact impact = impact_on(view, component.name);
    html += "<li><span class=\"name\">" + html_escape(component.name) + "</span> <span class=\"state state-" +
            std::string(component_status(impact)) + "\">" + std::string(component_status_words(impact)) + "</span>";
    if (!component.description.empty()) html += "<p class=\"description\">" + html_escape(component.description) + "</p>";
    html += "</li>\n";
  }
  return html + "</ul>\n</section>\n";
}

}  // namespace

std::string_view page_script() { return script; }

std::string status_html(const PageView& view) {
  std::string html = head(view.settings, view.settings.title);
  html += "<header role=\"banner\"><h1>" + html_escape(view.settings.title) + "</h1></header>\n<main>\n";
  html += banner(view) + components_section(view);
  html += "<section aria-labelledby=\"active\">\n<h2 id=\"active\">Active incidents</h2>\n";
  bool any_active = false;
  for (const auto& entry : view.entries)
    if (is_active(entry)) {
      html += incident_article(entry, true);
      any_active = true;
    }
  if (!any_active) html += "<p>No active incidents.</p>\n";
  html += "</section>\n<section aria-labelledby=\"history\">\n<h2 id=\"history\">Past incidents (last " +
          std::to_string(view.settings.history / 86400) + " days)</h2>\n";
  bool any_past = false;
  for (const auto& entry : view.entries)
    if (!is_active(entry) && in_history(view, entry)) {
      html += incident_article(entry, false);
      any_past = true;
    }
  if (!any_past) html += "<p>No incidents resolved in this period.</p>\n";
  return html + "</section>\n</main>\n" + foot();
}

std::string incident_html(const PageView& view, const PublicEntry& entry) {
  std::string html = head(view.settings, entry.title + " — " + view.settings.title);
  html += "<header role=\"banner\"><p><a href=\"/status\">" + html_escape(view.settings.title) + "</a></p><h1>" +
          html_escape(entry.title) + "</h1></header>\n<main>\n";
  const PublicUpdate& latest = *entry.latest_released();
  html += "<section class=\"banner impact-" + std::string(is_active(entry) ? to_string(latest.impact) : "none") +
          "\" aria-labelledby=\"overall\" role=\"status\">\n<h2 id=\"overall\">" + std::string(status_words(latest.status)) +
          "</h2>\n<p>Updated " + time_element(latest.display_at) + "</p>\n</section>\n";
  html += affected(entry) + postmortem_section(entry);
  html += "<section aria-labelledby=\"updates\">\n<h2 id=\"updates\">Updates</h2>\n" + updates_list(entry) + "</section>\n";
  return html + "</main>\n" + foot();
}

}  // namespace incident_bot::templates
