#include "bot/net/router.hpp"

namespace incident_bot::bot {

namespace http = boost::beast::http;

void Router::add(http::verb method, std::string path, ServerHandler handler) {
  routes_.push_back(Route{method, std::move(path), std::move(handler)});
}

ServerResponse Router::operator()(const ServerRequest& request) const {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  std::string allowed;
  for (const auto& route : routes_) {
    if (route.path != path) continue;
    if (route.method == request.method()) return route.handler(request);
    allowed += (allowed.empty() ? "" : ", ") + std::string(http::to_string(route.method));
  }
  if (allowed.empty()) return plain_response(http::status::not_found, "no such route\n");
  ServerResponse response = plain_response(http::status::method_not_allowed, "method not allowed; use " + allowed + "\n");
  response.set(http::field::allow, allowed);
  return response;
}

}  // namespace incident_bot::bot
