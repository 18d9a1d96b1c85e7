// The public updates as an Atom feed (RFC 4287): stable ids, one entry per public update, newest first.
#include "templates/status_page.hpp"

#include <algorithm>

namespace incident_bot::templates {
namespace {

constexpr std::size_t entries_in_feed = 100;

struct FeedItem {
  const PublicEntry* entry;
  const PublicUpdate* update;
};

}  // namespace

std::string history_atom(const PageView& view) {
  const std::string& base = view.settings.base_url;
  std::vector<FeedItem> items;
  for (const auto& entry : view.entries)
    for (const auto& update : entry.updates) items.push_back(FeedItem{&entry, &update});
  std::stable_sort(items.begin(), items.end(), [](const FeedItem& a, const FeedItem& b) {
    return a.update->display_at > b.update->display_at;
  });
  if (items.size() > entries_in_feed) items.resize(entries_in_feed);

  const Timestamp updated = items.empty() ? 0 : items.front().update->display_at;
  std::string xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">\n";
  xml += "<id>" + html_escape(base) + "/history.atom</id>\n";
  xml += "<title>" + html_escape(view.settings.title) + " — incident history</title>\n";
  xml += "<updated>" + iso_time(updated) + "</updated>\n";
  xml += "<link rel=\"self\" type=\"application/atom+xml\" href=\"" + html_escape(base) + "/history.atom\"/>\n";
  xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + html_escape(base) + "/status\"/>\n";
  xml += "<author><name>" + html_escape(view.settings.title) + "</name></author>\n";
  for (const auto& [entry, update] : items) {
    const std::string link = html_escape(base) + "/status/incidents/" + entry->public_id;
    xml += "<entry>\n<id>" + link + "#update-" + std::to_string(update->sequence) + "</id>\n";
    xml += "<title>" + html_escape(entry->title) + ": " + std::string(status_words(update->status)) + "</title>\n";
    xml += "<updated>" + iso_time(update->display_at) + "</updated>\n";
    xml += "<published>" + iso_time(update->display_at) + "</published>\n";
    xml += "<link rel=\"alternate\" type=\"text/html\" href=\"" + link + "\"/>\n";
    xml += "<content type=\"text\">" + std::string(status_words(update->status)) + " — " + html_escape(update->body) +
           "</content>\n</entry>\n";
  }
  return xml + "</feed>\n";
}

}  // namespace incident_bot::templates
