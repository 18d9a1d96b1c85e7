#pragma once
// One handler per verb family; handle.cpp's table routes each command to one of them.
#include "commands/command.hpp"
#include "workflows/outcome.hpp"

namespace incident_bot::workflows::detail {

Outcome declare(const Request&, const commands::Declare&);
Outcome decline(const Request&, const Incident&, const commands::Decline&);
Outcome resolve(const Request&, const Incident&, const commands::Resolve&);
Outcome close(const Request&, const Incident&, const commands::Close&);
Outcome reopen(const Request&, const Incident&);

Outcome assign_role(const Request&, const Incident&, const commands::AssignRole&);

Outcome update(const Request&, const Incident&, const commands::Update&);
Outcome set_scope(const Request&, const Incident&, const commands::SetScope&);
Outcome set_layer(const Request&, const Incident&, const commands::SetLayer&);
Outcome set_severity(const Request&, const Incident&, const commands::SetSeverity&);
Outcome record_change(const Request&, const Incident&, const commands::RecordChange&);
Outcome verify(const Request&, const Incident&, const commands::Verify&);
Outcome note(const Request&, const Incident&, const commands::Note&);

Outcome snooze(const Request&, const Incident&, const commands::Snooze&);
Outcome set_cadence(const Request&, const Incident&, const commands::SetCadence&);
Outcome show_postmortem(const Request&, const Incident&);
Outcome set_postmortem(const Request&, const Incident&, const commands::PostmortemSet&);
Outcome add_action(const Request&, const Incident&, const commands::AddAction&);
Outcome postmortem_done(const Request&, const Incident&);
Outcome publish(const Request&, const Incident&, const commands::Publish&);
Outcome publish_title(const Request&, const Incident&, const commands::PublishTitle&);
Outcome show_public(const Request&, const Incident&);
Outcome approve_public(const Request&, const Incident&);
Outcome unpublish(const Request&, const Incident&, const commands::Unpublish&);
// A postmortem marked done with a public summary puts that summary on the incident's public entry.
Outcome with_public_postmortem(const Request&, Outcome done);
// Adds "same family as INC-N" to a declaration's reply and card when earlier incidents match.
Outcome with_family(const Request&, Outcome declared);

// Shared pieces of the handlers.
Outcome refuse(std::string text);                          // ephemeral, nothing changes
Outcome accept(Incident next, const Request&, std::string kind, std::string timeline_text);
std::string refusal_when_ended(const Incident&);           // "" while the incident is open
Timestamp next_deadline(const Request&, const Incident&);  // from the last update or the declaration
std::string id(const Incident&);                           // "INC-7"

}  // namespace incident_bot::workflows::detail
