// Two incidents every template must render: one with every field set, one with most fields
// empty. A user's template is checked against both at start-up; the golden tests use them too.
#include "templates/model.hpp"

namespace incident_bot::templates::detail {

namespace {

constexpr Timestamp declared = 1'795'000'000;  // 2026-11-18 11:06 UTC
constexpr Seconds minute = 60;

}  // namespace

Sample full_sample() {
  Sample sample;
  Incident& incident = sample.incident;
  incident.number = 14;
  incident.title = "Meta pixel stopped firing after theme release";
  incident.state = State::closed;
  incident.severity = 2;
  incident.channel = "inc-14-meta-pixel-stopped-firing-after-theme-release";
  incident.declared_in = "marketing";
  incident.platform = "slack";
  incident.detector = "U01ALICE";
  incident.owner = "U02BOB";
  incident.comms = "U03CAROL";
  incident.specialists = {"U04DAN", "U05ERIN"};
  incident.symptom = "Meta-reported purchases down 60% since 10:15; store orders stable";
  incident.scope = "all Meta campaigns, web only; Google and store orders unaffected";
  incident.layer = "measurement";
  incident.confidence = Confidence::high;
  incident.mitigation = "budget changes paused until the pixel is verified";
  incident.next_check = "compare Events Manager with store orders hour by hour";
  incident.next_check_owner = "U04DAN";
  incident.changes = {{1, "paused Meta budget changes", "U02BOB", declared + 20 * minute, true},
                      {2, "restored the pixel snippet in the theme", "U04DAN", declared + 30 * minute, true}};
  incident.most_changes_in_flight = 2;
  incident.parallel_change_warnings = 1;
  incident.update_count = 2;
  incident.declared_at = declared;
  incident.last_update_at = declared + 150 * minute;
  incident.resolved_at = declared + 160 * minute;
  incident.closed_at = declared + 200 * minute;
  incident.resolution = "pixel restored; purchases match store orders again";

  sample.timeline = {
      {declared, "U01ALICE", "declared", "Declared \"Meta pixel stopped firing after theme release\" (sev2, likely layer measurement)"},
      {declared + 5 * minute, "U01ALICE", "role", "Handover: owner <@U01ALICE> → <@U02BOB>"},
      {declared + 10 * minute, "U02BOB", "update", "Meta-reported purchases down 60% (triage → investigating)"},
      {declared + 12 * minute, "U02BOB", "note", "looked at the dashboards"},
      {declared + 20 * minute, "U02BOB", "change", "Change #1: paused Meta budget changes"},
      {declared + 30 * minute, "U04DAN", "change", "Change #2: restored the pixel snippet in the theme"},
      {declared + 45 * minute, "U04DAN", "verify", "Verified: Events Manager receives purchases again"},
      {declared + 130 * minute, "", "reminder", "Update overdue by 5m: <@U02BOB>"},
      {declared + 150 * minute, "U02BOB", "update", "Meta purchases match store orders"},
      {declared + 160 * minute, "U02BOB", "resolve", "Resolved: pixel restored"},
      {declared + 200 * minute, "U02BOB", "close", "Closed"},
      {declared + 210 * minute, "U02BOB", "postmortem", "Postmortem cost: …"},
  };

  Postmortem& postmortem = sample.postmortem;
  postmortem.sections = {
      {PostmortemField::summary, "A theme release removed the Meta pixel; for 2h 40m Meta under-reported purchases."},
      {PostmortemField::what_happened, "The 10:00 theme release dropped the pixel snippet. Meta saw no purchases; "
                                       "store orders were stable, so this was measurement, not demand."},
      {PostmortemField::cost, "About €4,000 of spend optimised on missing conversions; two budget cuts nearly made."},
      {PostmortemField::detection_gap, "No alert compares platform-reported and store conversions."},
      {PostmortemField::causal_layer, "measurement"},
      {PostmortemField::evidence, "Events Manager showed zero purchase events from 10:02; the theme diff removed the snippet."},
      {PostmortemField::system_change, "Release checklist: verify pixel events in Events Manager after every theme release."},
      {PostmortemField::response, "Pausing budget changes first kept the read clean."},
  };
  postmortem.actions = {{1, "Alert when Meta purchases fall 30% below store orders for an hour", "U04DAN",
                         declared + 13 * 86400 - 11 * 3600 - 6 * minute, "U02BOB", declared + 220 * minute},
                        {2, "Add the pixel check to the release checklist", "U05ERIN", 0, "U02BOB", declared + 221 * minute}};
  postmortem.done_at = declared + 240 * minute;

  sample.earlier = {{3, "Meta pixel not firing on checkout", "measurement", "Tag Manager preview before publishing"},
                    {7, "Meta campaigns stopped spending", "delivery", ""}};
  sample.now = declared + 250 * minute;
  return sample;
}

Sample empty_sample() {
  Sample sample;
  Incident& incident = sample.incident;
  incident.number = 2;
  incident.title = "Spend stopped";
  incident.channel = "inc-2-spend-stopped";
  incident.declared_in = "general";
  incident.declared_at = declared;
  incident.next_update_due = declared + 6 * 3600;
  sample.timeline = {{declared, "", "declared", "Declared \"Spend stopped\" (sev3)"}};
  sample.now = declared + 5 * minute;
  return sample;
}

}  // namespace incident_bot::templates::detail
