#pragma once
// An incident's entry on the public status page: only what someone chose to publish. Pure data, no I/O.
#include "workflows/incident.hpp"

#include <string>
#include <vector>

namespace incident_bot {

struct PublicUpdate {
  std::int64_t sequence = 0;  // 1, 2, … within the entry
  PublicStatus status = PublicStatus::investigating;
  Impact impact = Impact::none;
  std::string body;                     // as written, not escaped
  std::vector<std::string> components;  // configured names
  Timestamp created_at = 0;             // when it was written
  Timestamp display_at = 0;             // when it went public; 0 while held for the owner's release
  bool held() const { return display_at == 0; }
  bool operator==(const PublicUpdate&) const = default;
};

struct PublicEntry {
  std::string public_id;  // not the INC number: nothing lets a reader count incidents; "" until the first publish
  std::string title;      // the public title
  std::string held_title; // a new title waiting for the owner's release; "" when none
  std::vector<PublicUpdate> updates;
  Timestamp created_at = 0;
  Timestamp withdrawn_at = 0;  // unpublished: the page stops showing it
  std::string withdrawn_reason;
  std::string postmortem_summary;  // set when the postmortem is done with a public summary: it supersedes the updates
  Timestamp postmortem_at = 0;

  bool exists() const { return !public_id.empty(); }
  const PublicUpdate* latest_released() const;  // null when nothing is released
  const PublicUpdate* first_released() const;
  int held() const;
  // On the page: released updates and not withdrawn.
  bool is_public() const { return exists() && withdrawn_at == 0 && latest_released() != nullptr; }
  bool operator==(const PublicEntry&) const = default;
};

namespace workflows {

// The public state the card and the nudges read, as the entry makes it.
PublicState public_state_of(const PublicEntry& entry);
// The impact a first publish takes when none is written: sev1 critical, sev2 major, sev3 minor, sev4 none.
Impact impact_for_severity(int severity);

}  // namespace workflows
}  // namespace incident_bot
