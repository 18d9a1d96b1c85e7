#pragma once
// Public entries for the status page tests: an active incident with hostile text, and a resolved one.
#include "templates/status_page.hpp"

namespace incident_bot::templates::testing {

inline constexpr Timestamp page_now = 1'795'000'000;  // 2026-11-18 11:06:40 UTC

inline PageSettings settings() {
  PageSettings page;
  page.title = "Shop <status>";
  page.components = {{"Checkout", "Cart & payment"}, {"Web app", ""}, {"Email", ""}};
  page.base_url = "https://status.example.com";
  return page;
}

inline PublicUpdate update(std::int64_t sequence, PublicStatus status, Impact impact, std::string body, Timestamp at,
                           std::vector<std::string> components = {"Checkout"}) {
  return PublicUpdate{sequence, status, impact, std::move(body), std::move(components), at, at};
}

inline std::vector<PublicEntry> entries() {
  PublicEntry active;
  active.public_id = "k3x9q2m7zt4a";
  active.title = "Payments </title><script>alert(1)</script>";
  active.updates = {update(1, PublicStatus::investigating, Impact::minor, "Some payments fail", page_now - 3600),
                    update(2, PublicStatus::identified, Impact::major, "<script>alert('x')</script> & a fix is coming",
                           page_now - 600, {"Checkout", "Web app"})};
  PublicEntry resolved;
  resolved.public_id = "p31zjtct2jer";
  resolved.title = "Email delays";
  resolved.updates = {update(1, PublicStatus::monitoring, Impact::minor, "Emails arrive late", page_now - 5 * 86400, {"Email"}),
                      update(2, PublicStatus::resolved, Impact::minor, "Emails flow again", page_now - 5 * 86400 + 1800, {"Email"})};
  resolved.postmortem_summary = "A full queue <held> mail for an hour.";
  resolved.postmortem_at = page_now - 4 * 86400;
  PublicEntry old;
  old.public_id = "oldoldoldold";
  old.title = "An old outage";
  old.updates = {update(1, PublicStatus::resolved, Impact::critical, "It was down", page_now - 30 * 86400)};
  return {active, resolved, old};
}

}  // namespace incident_bot::templates::testing
