#pragma once
// Runs the built incident-bot executable as a user would: arguments, a script on standard input, its output.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace incident_bot::testing {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("incident-bot-cli-" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() { fs::remove_all(path); }
};

inline std::string slurp(const fs::path& path) {
  std::ifstream file(path);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

// Runs the built executable with a script on standard input; returns the exit status.
inline int run_bot(const TempDir& dir, const std::string& arguments, const std::string& script, std::string& out) {
  std::ofstream(dir.path / "script.txt") << script;
  const std::string command = std::string(INCIDENT_BOT_EXE) + " " + arguments + " < " + (dir.path / "script.txt").string() +
                              " > " + (dir.path / "out.txt").string() + " 2> " + (dir.path / "err.txt").string();
  const int status = std::system(command.c_str());
  out = slurp(dir.path / "out.txt") + slurp(dir.path / "err.txt");
  return WEXITSTATUS(status);
}


}  // namespace incident_bot::testing
