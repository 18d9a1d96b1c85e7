#include "bot/app/cli.hpp"

#include <iostream>

int main(int argc, char** argv) {
  const std::vector<std::string> arguments(argv + 1, argv + argc);
  const auto parsed = incident_bot::bot::parse_cli(arguments);
  if (const auto* error = std::get_if<incident_bot::bot::CliError>(&parsed)) {
    std::cerr << "incident-bot: " << error->message << "\n\n" << incident_bot::bot::usage_text();
    return 2;
  }
  try {
    return incident_bot::bot::run_cli(std::get<incident_bot::bot::CliOptions>(parsed), std::cin, std::cout, std::cerr);
  } catch (const std::exception& failure) {
    std::cerr << "incident-bot: " << failure.what() << '\n';
    return 1;
  }
}
