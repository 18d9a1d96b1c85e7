#pragma once
// Who this process is in the outbox's claims, and whether the process named in a claim is gone.
#include <string>

namespace incident_bot::bot {

// "<host>/<pid>/<random>": unique among processes sharing one store.
std::string this_worker();
// True only for a worker of this host whose process no longer exists; another host's, never.
bool worker_is_gone(const std::string& worker);

}  // namespace incident_bot::bot
