// The status page in the shapes of Atlassian Statuspage's public API v2, for tools that already read it.
#include "templates/status_page.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace incident_bot::templates {
namespace {

namespace json = boost::json;

constexpr std::size_t incidents_listed = 50;  // as many as Statuspage's incidents.json gives

json::value time_or_null(Timestamp at) { return at ? json::value(iso_time(at)) : json::value(nullptr); }

json::object page_object(const PageView& view) {
  const Timestamp updated = page_updated_at(view);
  return json::object{{"id", page_id(view.settings)},
                      {"name", view.settings.title},
                      {"url", view.settings.base_url + "/status"},
                      {"time_zone", "Etc/UTC"},
                      {"updated_at", iso_time(updated ? updated : view.now)}};
}

json::object status_object(const PageView& view) {
  const Impact overall = impact_on(view, "");
  return json::object{{"indicator", to_string(overall)}, {"description", indicator_description(overall)}};
}

json::array components_array(const PageView& view) {
  json::array components;
  int position = 1;
  for (const auto& component : view.settings.components) {
    Timestamp updated = 0;
    for (const auto& entry : view.entries) {
      const PublicUpdate& latest = *entry.latest_released();
      if (std::find(latest.components.begin(), latest.components.end(), component.name) != latest.components.end())
        updated = std::max(updated, latest.display_at);
    }
    components.push_back(json::object{{"id", component_id(component.name)},
                                      {"name", component.name},
                                      {"status", component_status(impact_on(view, component.name))},
                                      {"description", component.description.empty() ? json::value(nullptr)
                                                                                    : json::value(component.description)},
                                      {"position", position++},
                                      {"group", false},
                                      {"group_id", nullptr},
                                      {"only_show_if_degraded", false},
                                      {"showcase", true},
                                      {"page_id", page_id(view.settings)},
                                      {"created_at", iso_time(0)},
                                      {"updated_at", iso_time(updated)}});
  }
  return components;
}

json::object incident_object(const PageView& view, const PublicEntry& entry) {
  const PublicUpdate& first = *entry.first_released();
  const PublicUpdate& latest = *entry.latest_released();
  Timestamp monitoring_at = 0;
  json::array updates;
  for (auto update = entry.updates.rbegin(); update != entry.updates.rend(); ++update) {
    if (update->status == PublicStatus::monitoring && (monitoring_at == 0 || update->display_at < monitoring_at))
      monitoring_at = update->display_at;
    updates.push_back(json::object{{"id", entry.public_id + "-" + std::to_string(update->sequence)},
                                   {"incident_id", entry.public_id},
                                   {"status", to_string(update->status)},
                                   {"body", update->body},
                                   {"created_at", iso_time(update->display_at)},
                                   {"updated_at", iso_time(update->display_at)},
                                   {"display_at", iso_time(update->display_at)}});
  }
  json::array components;
  for (const auto& name : latest.components)
    components.push_back(json::object{{"id", component_id(name)},
                                      {"name", name},
                                      {"status", component_status(is_active(entry) ? latest.impact : Impact::none)}});
  const bool resolved = latest.status == PublicStatus::resolved;
  return json::object{{"id", entry.public_id},
                      {"name", entry.title},
                      {"status", to_string(latest.status)},
                      {"impact", to_string(latest.impact)},
                      {"created_at", iso_time(first.display_at)},
                      {"updated_at", iso_time(std::max(latest.display_at, entry.postmortem_at))},
                      {"monitoring_at", time_or_null(monitoring_at)},
                      {"resolved_at", time_or_null(resolved ? latest.display_at : 0)},
                      {"started_at", iso_time(first.display_at)},
                      {"page_id", page_id(view.settings)},
                      {"shortlink", view.settings.base_url + "/status/incidents/" + entry.public_id},
                      {"postmortem_body", entry.postmortem_summary.empty() ? json::value(nullptr)
                                                                           : json::value(entry.postmortem_summary)},
                      {"postmortem_published_at", time_or_null(entry.postmortem_at)},
                      {"incident_updates", std::move(updates)},
                      {"components", std::move(components)}};
}

json::array incidents_array(const PageView& view, bool unresolved_only) {
  json::array incidents;
  for (const auto& entry : view.entries) {
    if (unresolved_only && !is_active(entry)) continue;
    if (incidents.size() == incidents_listed) break;
    incidents.push_back(incident_object(view, entry));
  }
  return incidents;
}

}  // namespace

std::string summary_json(const PageView& view) {
  return json::serialize(json::object{{"page", page_object(view)},
                                      {"status", status_object(view)},
                                      {"components", components_array(view)},
                                      {"incidents", incidents_array(view, true)},
                                      {"scheduled_maintenances", json::array{}}});
}

std::string status_json(const PageView& view) {
  return json::serialize(json::object{{"page", page_object(view)}, {"status", status_object(view)}});
}

std::string components_json(const PageView& view) {
  return json::serialize(json::object{{"page", page_object(view)}, {"components", components_array(view)}});
}

std::string incidents_json(const PageView& view) {
  return json::serialize(json::object{{"page", page_object(view)}, {"incidents", incidents_array(view, false)}});
}

std::string unresolved_json(const PageView& view) {
  return json::serialize(json::object{{"page", page_object(view)}, {"incidents", incidents_array(view, true)}});
}

}  // namespace incident_bot::templates
