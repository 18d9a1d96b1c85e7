#include "bot/net/router.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot::bot;
namespace http = boost::beast::http;

namespace {

// The status and body the router answers for one request.
std::pair<int, std::string> route(const Router& router, http::verb method, const std::string& target) {
  ServerRequest request{method, target, 11};
  std::pair<int, std::string> answer{0, ""};
  router(request, Responder([&](std::optional<ServerResponse> response) {
           if (response) answer = {static_cast<int>(response->result_int()), response->body()};
         }));
  return answer;
}

ServerHandler says(std::string word) {
  return [word](const ServerRequest&) { return plain_response(http::status::ok, word); };
}

}  // namespace

TEST_CASE("router: exact paths, a prefix route for the paths below it, 404 and 405") {
  Router router;
  router.add(http::verb::get, "/status", says("page"));
  router.add(http::verb::get, "/status/incidents/*", says("incident"));
  CHECK(route(router, http::verb::get, "/status").second == "page");
  CHECK(route(router, http::verb::get, "/status?x=1").second == "page");
  CHECK(route(router, http::verb::get, "/status/incidents/abc").second == "incident");
  CHECK(route(router, http::verb::get, "/status/incidents/").first == 404);  // the prefix alone names nothing
  CHECK(route(router, http::verb::get, "/status/incidents").first == 404);
  CHECK(route(router, http::verb::get, "/statusx").first == 404);
  CHECK(route(router, http::verb::post, "/status/incidents/abc").first == 405);
}
