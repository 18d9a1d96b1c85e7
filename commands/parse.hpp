#pragma once
#include "commands/command.hpp"

#include <span>
#include <string_view>
#include <variant>

namespace incident_bot::commands {

using ParseResult = std::variant<Parsed, ParseError>;

// Never throws; any bytes in, a command or an error out.
ParseResult parse(std::string_view text);

// Every verb with its usage and one example, in the order `help` shows them.
std::span<const VerbHelp> verbs();
const VerbHelp* find_verb(std::string_view verb);

}  // namespace incident_bot::commands
