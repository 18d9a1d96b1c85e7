#include "bot/net/refusal_log.hpp"

#include "fakes/captured_log.hpp"

#include <catch2/catch.hpp>

using incident_bot::bot::RefusalLog;
using incident_bot::bot::ServerRequest;
namespace http = boost::beast::http;

namespace {

ServerRequest request_to(http::verb method, const std::string& target) { return ServerRequest{method, target, 11}; }

}  // namespace

TEST_CASE("refusal log: the first of a minute in full, the rest as one count when a later one comes", "[refusal_log]") {
  incident_bot::fakes::CapturedLog log;
  std::int64_t now = 1000;
  {
    RefusalLog refusals(log.logger(), "unsigned requests", [&] { return now; });
    for (int i = 0; i < 50; ++i) refusals.refused(request_to(http::verb::post, "/hook?token=abc"), "no signature");
    now += 59;
    refusals.refused(request_to(http::verb::post, "/hook"), "no signature");  // still the first minute
    CHECK(log.lines().size() == 1);
    CHECK(log.count("refused POST /hook: no signature") == 1);

    now += 1;
    refusals.refused(request_to(http::verb::get, "/hook?x=1"), "stale");
    CHECK(log.lines().size() == 3);
    CHECK(log.count("refused 50 more unsigned requests in the minute after the last one logged") == 1);
    CHECK(log.count("refused GET /hook: stale") == 1);

    now -= 3600;  // a clock set back starts a new minute rather than silencing the log for an hour
    refusals.refused(request_to(http::verb::get, "/back"), "stale");
    CHECK(log.count("refused GET /back: stale") == 1);
    refusals.refused(request_to(http::verb::get, "/back"), "stale");
    CHECK(log.lines().size() == 4);
  }
  // What is still untold when the receiver goes is told then.
  CHECK(log.count("refused 1 more unsigned requests") == 1);
  for (const auto& line : log.lines()) CHECK(line.find('?') == std::string::npos);
}
