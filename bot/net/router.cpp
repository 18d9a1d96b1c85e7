#include "bot/net/router.hpp"

namespace incident_bot::bot {

namespace http = boost::beast::http;

void Router::add(http::verb method, std::string path, ServerHandler handler) {
  add_deferred(method, std::move(path), answering_at_once(std::move(handler)));
}

void Router::add_deferred(http::verb method, std::string path, DeferredHandler handler) {
  routes_.push_back(Route{method, std::move(path), std::move(handler)});
}

void Router::operator()(const ServerRequest& request, Responder respond) const {
  const std::string_view target = request.target();
  const std::string_view path = target.substr(0, target.find('?'));
  std::string allowed;
  for (const auto& route : routes_) {
    // A path ending in "/*" takes every path below it.
    const bool below = route.path.ends_with("/*") && path.size() > route.path.size() - 1 &&
                       path.starts_with(std::string_view(route.path).substr(0, route.path.size() - 1));
    if (route.path != path && !below) continue;
    if (route.method == request.method()) return route.handler(request, std::move(respond));
    allowed += (allowed.empty() ? "" : ", ") + std::string(http::to_string(route.method));
  }
  if (allowed.empty()) return respond(plain_response(http::status::not_found, "no such route\n"));
  ServerResponse response = plain_response(http::status::method_not_allowed, "method not allowed; use " + allowed + "\n");
  response.set(http::field::allow, allowed);
  respond(std::move(response));
}

}  // namespace incident_bot::bot
