#include "templates/phrases.hpp"

#include "workflows/markup.hpp"

namespace incident_bot::templates::detail {

std::string or_unknown(const std::string& value) { return value.empty() ? not_yet_known : markup::escape(value); }

std::string who(const UserId& user) { return user.empty() ? not_yet_known : markup::mention(user); }

std::string due(Timestamp at, Timestamp now) {
  if (at == 0) return "none (not active)";
  const std::string when = markup::shown_time(at);
  return at >= now ? when + " (in " + format_duration(at - now) + ")" : when + " (*overdue by " + format_duration(now - at) + "*)";
}

std::string specialists(const Incident& incident) {
  if (incident.specialists.empty()) return "none";
  std::string text;
  for (const auto& user : incident.specialists) text += (text.empty() ? "" : ", ") + markup::mention(user);
  return text;
}

std::string next_check(const Incident& incident) {
  if (incident.next_check.empty()) return not_yet_known;
  return markup::escape(incident.next_check) + " — " +
         (incident.next_check_owner.empty() ? "no one assigned" : markup::mention(incident.next_check_owner));
}

}  // namespace incident_bot::templates::detail
