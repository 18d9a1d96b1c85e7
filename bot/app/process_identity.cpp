#include "bot/app/process_identity.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <random>

namespace incident_bot::bot {

namespace {

std::string host_name() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "localhost";
  return name;
}

}  // namespace

std::string this_worker() {
  std::random_device random;
  return host_name() + "/" + std::to_string(getpid()) + "/" + std::to_string(random() % 1000000);
}

bool worker_is_gone(const std::string& worker) {
  const auto first = worker.find('/');
  const auto second = worker.find('/', first == std::string::npos ? first : first + 1);
  if (first == std::string::npos || second == std::string::npos || worker.substr(0, first) != host_name()) return false;
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(worker.data() + first + 1, worker.data() + second, pid);
  if (error != std::errc{} || end != worker.data() + second || pid <= 0) return false;
  return kill(pid, 0) == -1 && errno == ESRCH;
}

}  // namespace incident_bot::bot
