#pragma once
// The postmortem as data: written sections, follow-up actions, and the rules read from them
// (what `postmortem done` still needs, late updates, the repeat family). Pure, no I/O.
#include "workflows/incident.hpp"

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot {

using commands::PostmortemField;

struct FollowUp {
  std::int64_t sequence = 0;  // 1, 2, … within the incident
  std::string text;
  UserId owner;
  Timestamp due = 0;  // 00:00 UTC of the due date; 0 when none was given
  UserId added_by;
  Timestamp added_at = 0;
};

struct Postmortem {
  std::map<PostmortemField, std::string> sections;  // as written, not escaped
  std::vector<FollowUp> actions;
  Timestamp done_at = 0;  // 0 while a draft

  std::string section(PostmortemField field) const;  // "" when not written
};

// An earlier incident as the repeat-family rule sees it; loaded by the dispatcher from the store.
struct PastIncident {
  std::int64_t number = 0;
  std::string title;
  std::string layer;          // the causal layer its postmortem recorded, else its likely layer
  std::string system_change;  // what its postmortem recorded; "" when none
};

struct FamilyMatch {
  std::int64_t number = 0;
  std::string title;
  std::string system_change;
  std::vector<std::string> shared_words;
};

namespace workflows {

// The sections `postmortem done` requires, in the order the document shows them.
std::vector<PostmortemField> missing_for_done(const Postmortem& postmortem);
std::string_view field_title(PostmortemField field);  // "detection gap"

// Lowercased title words that carry meaning: stop words, numbers and one- or two-letter words dropped.
std::vector<std::string> significant_words(std::string_view title);

// Earlier incidents of the same layer whose titles share significant words: two or more, or
// one that is at least half of the shorter title's. Best first (most shared, then latest); at most 3.
std::vector<FamilyMatch> same_family(std::int64_t number, std::string_view title, std::string_view layer,
                                     const std::vector<PastIncident>& earlier);
// The layer the family rule uses for this incident: the postmortem's causal layer, else the likely layer.
std::string family_layer(const Incident& incident, const Postmortem* postmortem);
// "Same family as INC-12 (Pixel stopped firing) — its fix was: …" in mrkdwn.
std::string family_line(const FamilyMatch& match);

// Updates that came later than the cadence allowed, counted from the declaration up to the
// resolution; a resolution reached after a missed deadline counts the missed update too.
int late_updates(const Incident& incident, const std::vector<TimelineEntry>& timeline, Seconds cadence);

}  // namespace workflows
}  // namespace incident_bot
