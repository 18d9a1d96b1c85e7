// What `help` shows: every verb with its usage, an example and a one-line summary.
#include "commands/grammar.hpp"
#include "commands/parse.hpp"

#include <array>
#include <utility>

namespace incident_bot::commands {
namespace {

constexpr std::array<VerbHelp, 23> verb_help{{
    {"declare", "declare <title> [sev1..sev4] [layer:<name>] [private]",
     "declare Checkout payments failing sev2 layer:conversion",
     "Open an incident in triage; severity, layer and private go at the end."},
    {"decline", "decline <reason>", "decline Expected dip after the campaign ended",
     "Close a report in triage that is not an incident, saying why."},
    {"role", "role [<owner|comms|specialist|detector> <@user>]", "role owner @dana",
     "Give someone a role (alias: assign); alone, list who holds each role."},
    {"update",
     "update <symptom> | scope: ... | layer: ... | confidence: low|medium|high | mitigation: ... | "
     "next: <next check> [@owner] | next update: <duration>",
     "update Card payments fail with 502 | scope: EU web checkout | confidence: medium | "
     "next: compare gateway error rates @sam | next update: 30m",
     "Post a status update: the symptom, the evidence so far and the next verifying check."},
    {"scope", "scope <who and what is affected>", "scope EU customers paying by card",
     "Record how far the impact reaches."},
    {"layer", "layer <name>", "layer measurement", "Set the layer the problem most likely lives in."},
    {"severity", "severity <sev1..sev4>", "severity sev1", "Change the severity; sev1 is the most severe."},
    {"change", "change <what changed>", "change Rolled back payments-api to v412",
     "Record an intervention, so parallel changes stay visible."},
    {"verify", "verify <finding>", "verify Error rate under 0.1% for 15 minutes after the rollback",
     "Record what a check established."},
    {"note", "note <text>", "note Vendor status page reports a degraded API", "Add a note to the timeline."},
    {"resolve", "resolve [summary]", "resolve Rollback restored card payments",
     "Mark the impact as over and start monitoring."},
    {"close", "close [--force <reason>]", "close --force Declared by mistake during a drill",
     "Close after monitoring; --force closes early and needs a reason."},
    {"reopen", "reopen", "INC-12 reopen", "Reopen a closed incident."},
    {"snooze", "snooze <duration> [reason]", "snooze 30m waiting for the vendor's answer",
     "Push the pending update reminder back, by at most the cadence."},
    {"cadence", "cadence <duration|default>", "cadence 2h",
     "Set how often this incident needs a status update; default follows the severity."},
    {"status", "status", "INC-12 status", "Show the state, roles and latest update."},
    {"list", "list", "list", "List the open incidents."},
    {"timeline", "timeline", "INC-12 timeline", "Show everything recorded, in order."},
    {"help", "help [verb]", "help update", "Show every verb, or one verb's usage and example."},
    {"postmortem",
     "postmortem [set <summary|what-happened|cost|detection-gap|causal-layer|evidence|system-change|response|public-summary> <text> | done]",
     "postmortem set detection-gap No alert compares platform and store conversions",
     "Show the postmortem draft, fill one of its sections, or mark it done."},
    {"action", "action <text> <@owner> [due YYYY-MM-DD]", "action Add a pixel-vs-orders reconciliation alert @sam due 2026-12-01",
     "Add a postmortem follow-up action with its owner and due date."},
    {"publish",
     "publish [<investigating|identified|monitoring|resolved> <public text> [impact:<none|minor|major|critical>] "
     "[components:<name>,<name>…] | title <text> | approve]",
     "publish identified Card payments fail for some customers; a fix is being deployed impact:major components:checkout",
     "Post a public status page update (comms lead or owner); alone, show what is public; approve releases a held one."},
    {"unpublish", "unpublish <reason>", "unpublish Posted to the wrong incident",
     "Withdraw the incident from the public status page, saying why."},
}};

// Alternative spellings of a verb, and the verb they mean.
constexpr std::array<std::pair<std::string_view, std::string_view>, 1> verb_aliases{{
    {"assign", "role"},
}};

}  // namespace

std::span<const VerbHelp> verbs() { return verb_help; }

const VerbHelp* find_verb(std::string_view verb) {
  for (const auto& [alias, meaning] : verb_aliases)
    if (grammar::equals_ignoring_case(verb, alias)) verb = meaning;
  for (const auto& help : verb_help)
    if (grammar::equals_ignoring_case(verb, help.verb)) return &help;
  return nullptr;
}

}  // namespace incident_bot::commands
