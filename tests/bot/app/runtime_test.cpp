#include "bot/app/runtime.hpp"

#include "fakes/captured_log.hpp"
#include "fakes/running_bot.hpp"

#include <catch2/catch.hpp>
#include <sys/resource.h>


using namespace incident_bot;

namespace {

constexpr const char* signing_secret = "8f742231b10e8888abcd99yyyzzz85a5";

}  // namespace

TEST_CASE("runtime: a connection cap the descriptor limit cannot hold is warned about at start, the default is not") {
  rlimit descriptors{};
  REQUIRE(::getrlimit(RLIMIT_NOFILE, &descriptors) == 0);
  if (descriptors.rlim_cur == RLIM_INFINITY || descriptors.rlim_cur < 1024 || descriptors.rlim_cur > 100000) {
    WARN("RLIMIT_NOFILE is " << descriptors.rlim_cur << ": outside what this test can exercise");
    return;
  }
  const std::string warning = "leaves fewer than 64 of the process's " + std::to_string(descriptors.rlim_cur) +
                              " descriptors (ulimit -n) for the store and outgoing calls";
  {
    fakes::CapturedLog log;
    bot::Config config;
    config.http.max_connections = static_cast<int>(descriptors.rlim_cur);
    fakes::RunningBot bot(config, bot::Secrets{signing_secret}, 1'795'000'000, fakes::quick_socket_mode(), log.logger());
    CHECK(log.count("http.max_connections (" + std::to_string(descriptors.rlim_cur) + ") " + warning) == 1);
  }
  fakes::CapturedLog log;
  fakes::RunningBot bot(bot::Config{}, bot::Secrets{signing_secret}, 1'795'000'000, fakes::quick_socket_mode(),
                        log.logger());
  CHECK(log.count(warning) == 0);
  CHECK(log.count("listening for HTTP") == 1);
}
