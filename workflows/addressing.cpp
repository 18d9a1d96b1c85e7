#include "workflows/addressing.hpp"

#include "workflows/markup.hpp"

namespace incident_bot::workflows {

namespace {

AddressRefusal listing_the_open(const std::vector<OpenIncident>& open, bool holds_several) {
  if (open.empty()) return {"There is no open incident. Declare one with `declare &lt;title&gt;`."};
  std::string text = holds_several ? "You hold roles in several incidents; write INC-N first. Open:"
                                   : "Which incident? Write INC-N first. Open:";
  for (const auto& incident : open)
    text += " " + incident_id(incident.number) + " (" + markup::escape(incident.title) + "),";
  text.pop_back();
  return {std::move(text)};
}

}  // namespace

Addressed address(std::optional<std::int64_t> written, const CommandOrigin& origin, const IncidentDirectory& directory) {
  if (written) {
    if (auto incident = directory.by_number(*written)) return std::move(*incident);
    return AddressRefusal{incident_id(*written) + " does not exist."};
  }
  if (auto incident = directory.in_channel(origin.channel)) return std::move(*incident);
  const auto held = directory.held_by(origin.user);
  if (held.size() == 1)
    if (auto incident = directory.by_number(held.front())) return std::move(*incident);
  return listing_the_open(directory.open(), held.size() > 1);
}

}  // namespace incident_bot::workflows
