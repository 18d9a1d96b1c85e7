#include "workflows/markup.hpp"

#include "workflows/incident.hpp"

#include <cstdio>

namespace incident_bot {

std::string incident_id(std::int64_t number) { return "INC-" + std::to_string(number); }

namespace markup {

std::string escape(std::string_view text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': escaped += "&amp;"; break;
      case '<': escaped += "&lt;"; break;
      case '>': escaped += "&gt;"; break;
      default: escaped += c;
    }
  }
  return escaped;
}

std::string mention(std::string_view user) {
  if (user.empty()) return "nobody";
  return "<@" + escape(user) + ">";
}

std::string utc_time(Timestamp at) {
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm), so no clock header is needed.
  const std::int64_t days = (at >= 0 ? at : at - 86399) / 86400;
  const std::int64_t seconds_of_day = at - days * 86400;
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t month_index = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * month_index + 2) / 5 + 1;
  const std::int64_t month = month_index < 10 ? month_index + 3 : month_index - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[96];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld %02lld:%02lld UTC", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day),
                static_cast<long long>(seconds_of_day / 3600), static_cast<long long>(seconds_of_day % 3600 / 60));
  return text;
}

std::string shown_time(Timestamp at) {
  return "<!date^" + std::to_string(at) + "^{date_short_pretty} at {time}|" + utc_time(at) + "+00:00>";
}

}  // namespace markup
}  // namespace incident_bot
