#include "bot/app/export_command.hpp"

#include "bot/app/policy.hpp"
#include "bot/mattermost/markup.hpp"
#include "store/store.hpp"
#include "workflows/markup.hpp"

#include <charconv>
#include <ostream>

namespace incident_bot::bot {

namespace {

// The states from resolve on: the cause is known and the postmortem can be written.
bool postmortem_can_be_drafted(State state) { return state == State::monitoring || state == State::closed; }

}  // namespace

int export_incident(const ExportRequest& request, const Config& config,
                    const std::shared_ptr<const templates::Library>& library, Timestamp now, std::ostream& out,
                    std::ostream& err) {
  if (request.format != "md") {
    err << "export: unknown format '" << request.format << "' (md is supported)\n";
    return 2;
  }
  std::int64_t number = 0;
  const std::string_view digits = std::string_view(request.incident).substr(request.incident.find('-') + 1);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (ec != std::errc() || end != digits.data() + digits.size() || number <= 0) {
    err << "export: expected an incident id such as INC-7, got '" << request.incident << "'\n";
    return 2;
  }
  auto db = store::open(config.store.path);
  const auto incident = store::load_incident(db, number);
  if (!incident) {
    err << "export: " << incident_id(number) << " does not exist\n";
    return 1;
  }
  if (request.postmortem && !postmortem_can_be_drafted(incident->state)) {
    err << "export: " << incident_id(number) << " is " << to_string(incident->state)
        << "; its postmortem draft exports once it is resolved\n";
    return 1;
  }
  const auto timeline = store::load_timeline(db, number);
  const auto postmortem = store::load_postmortem(db, number);
  const auto earlier = store::family_candidates(db, number, incident->title, workflows::family_layer(*incident, &postmortem));
  const auto policy = policy_from(config);
  const templates::RenderContext context{&*incident, &timeline, nullptr, now, &postmortem, &earlier, &policy, library.get()};
  // A chat that keeps user ids (Mattermost) has their names: the export mentions people by name.
  const auto markdown = [&](const std::string& mrkdwn) {
    return mentions_as_names(templates::convert(mrkdwn, templates::Markup::markdown),
                             [&](std::string_view id) { return store::user_name(db, incident->platform, id); });
  };
  out << "# " << incident_id(number) << ": " << markdown(markup::escape(incident->title)) << "\n\n";
  // Once closed, the incident is its postmortem; before, its live status and timeline, or the draft when asked.
  if (incident->state == State::closed || request.postmortem) {
    out << markdown(templates::render_text(templates::Document::postmortem, {}, context)) << '\n';
    return 0;
  }
  out << markdown(templates::render_text(templates::Document::card, {}, context)) << "\n\n## Timeline\n\n";
  for (const auto& entry : timeline)
    out << "- " << markdown(markup::utc_time(entry.at) + " · " + (entry.actor.empty() ? "bot" : markup::mention(entry.actor)) +
                            " · " + entry.kind + " · " + entry.text)
        << '\n';
  return 0;
}

}  // namespace incident_bot::bot
