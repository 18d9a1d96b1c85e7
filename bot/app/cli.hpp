#pragma once
// The command line: run, console, check-config, export, outbox, status-page, --help, --version.
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace incident_bot::bot {

struct CliOptions {
  std::string verb;                     // run, console, check-config, export, help, version
  std::optional<std::string> config;    // --config FILE
  std::optional<std::string> as_user;   // console --as USER
  std::string incident;                 // export INC-N
  std::string format = "md";            // export --format
  bool postmortem = false;              // export --postmortem
  std::vector<std::string> outbox_words;  // outbox list|retry|drop …
  std::string out_dir;                    // status-page --out DIR
};

struct CliError { std::string message; };

std::variant<CliOptions, CliError> parse_cli(const std::vector<std::string>& arguments);
std::string usage_text();

int run_cli(const CliOptions& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace incident_bot::bot
