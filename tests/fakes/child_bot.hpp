#pragma once
// The real binary as a child process, for tests that kill it: INCIDENT_BOT_EXE names it (test targets define it).
#include "fakes/delivery_worlds.hpp"

#include <catch2/catch.hpp>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace incident_bot::fakes {

// `incident-bot run` as a child process, its output in a file; killed when the test ends early.
class ChildBot {
 public:
  ChildBot(const std::string& config, const std::string& output,
           const std::vector<std::pair<std::string, std::string>>& environment)
      : output_(output) {
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      const int file = ::open(output.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(file, STDOUT_FILENO);
      ::dup2(file, STDERR_FILENO);
      // Only the chat under test runs, whatever the test's own environment holds.
      for (const char* name : {"SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "MATTERMOST_BOT_TOKEN",
                               "MATTERMOST_COMMAND_TOKEN", "INCIDENT_BOT_DELIVERY_PAUSE_MS"})
        ::unsetenv(name);
      for (const auto& [name, value] : environment) ::setenv(name.c_str(), value.c_str(), 1);
      ::execl(INCIDENT_BOT_EXE, INCIDENT_BOT_EXE, "run", "--config", config.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~ChildBot() {
    if (pid_ > 0) end(SIGKILL);
  }

  // The port it logged once listening; 0 when it did not within the timeout.
  unsigned short port() const {
    const std::regex listening("listening for HTTP on 127\\.0\\.0\\.1:([0-9]+)");
    unsigned short found = 0;
    eventually(
        [&] {
          std::ifstream file(output_);
          std::stringstream text;
          text << file.rdbuf();
          std::smatch match;
          const std::string logged = text.str();
          if (std::regex_search(logged, match, listening)) found = static_cast<unsigned short>(std::stoi(match[1]));
          return found != 0;
        },
        std::chrono::seconds(10));
    return found;
  }

  // Sends the signal and waits for the child; its wait status.
  int end(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = 0;
    return status;
  }

 private:
  std::string output_;
  pid_t pid_ = 0;
};


}  // namespace incident_bot::fakes
