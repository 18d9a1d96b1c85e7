#pragma once
// Which incident a command addresses: the INC-N written, else the channel's incident, else the
// one open incident the user holds a role in; otherwise a refusal listing the choices.
#include "workflows/incident.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::workflows {

struct OpenIncident {
  std::int64_t number;
  std::string title;
  bool is_private = false;
};

// What addressing asks of the incidents it chooses among; the caller answers from its store.
class IncidentDirectory {
 public:
  virtual ~IncidentDirectory() = default;
  virtual std::optional<Incident> by_number(std::int64_t number) const = 0;
  // The incident whose channel this is: by the channel's name, or by a chat's channel id remembered for it.
  virtual std::optional<Incident> in_channel(const std::string& channel) const = 0;
  virtual std::vector<std::int64_t> held_by(const UserId& user) const = 0;  // open incidents the user holds a role in
  virtual std::vector<OpenIncident> open() const = 0;                      // every open incident, by number
};

// Where and by whom the command was typed.
struct CommandOrigin {
  std::string channel;
  UserId user;
};

// Why no incident was chosen, in mrkdwn like every workflow message.
struct AddressRefusal {
  std::string text;
};

using Addressed = std::variant<Incident, AddressRefusal>;

// written: the INC-N typed before the verb, if any.
Addressed address(std::optional<std::int64_t> written, const CommandOrigin& origin, const IncidentDirectory& directory);

}  // namespace incident_bot::workflows
