#pragma once
// Routes requests by path and method: unknown path 404, wrong method 405.
#include "bot/net/http_server.hpp"

#include <boost/beast/http/verb.hpp>

#include <string>
#include <vector>

namespace incident_bot::bot {

class Router {
 public:
  // A path ending in "/*" (such as "/status/incidents/*") matches every longer path below it.
  void add(boost::beast::http::verb method, std::string path, ServerHandler handler);
  // A route that answers later, e.g. once its command is committed.
  void add_deferred(boost::beast::http::verb method, std::string path, DeferredHandler handler);
  void operator()(const ServerRequest& request, Responder respond) const;

 private:
  struct Route {
    boost::beast::http::verb method;
    std::string path;
    DeferredHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace incident_bot::bot
