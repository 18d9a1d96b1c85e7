#pragma once
// Absolute http(s) and ws(s) URLs split into what a client needs to connect and to ask, and
// the host:port a server listens on.
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace incident_bot::bot {

struct Url {
  std::string scheme;  // "http", "https", "ws" or "wss", lowercased
  std::string host;    // a name or an IP literal; IPv6 without its brackets
  std::uint16_t port = 0;  // the explicit port, else the scheme's default
  std::string target;  // path and query, "/" when the URL has none; the fragment dropped

  bool tls() const { return scheme == "https" || scheme == "wss"; }
  bool ipv6_literal() const { return host.find(':') != std::string::npos; }
  // The Host header: brackets around IPv6, the port only when it is not the default.
  std::string host_header() const;
};

// Boost.URL's parse_uri, non-throwing: nullopt for another scheme, user info ("user:pass@"), an empty
// or percent-escaped host, a zone id, a bad port (0, over 65535, not digits), an unbalanced IPv6
// bracket, a bad escape, or spaces and control bytes. A full IPv6 literal is kept in its short form.
std::optional<Url> parse_url(std::string_view text);

// A listening address such as "127.0.0.1:3000", "[::1]:3000" or "localhost:0" (port 0: any free one).
struct HostPort {
  boost::asio::ip::tcp::endpoint endpoint;  // meaningful when ok()
  std::string problem;                      // why the text is not one, fit for a config error
  bool ok() const { return problem.empty(); }
};

// The one parser for http.listen, so check-config and run agree. Non-throwing: refuses a missing
// port, one over 65535, IPv6 without brackets, and any host name but localhost (nothing is resolved).
HostPort parse_host_port(std::string_view text);

// The URL of `name` under a base such as "https://slack.com/api": one slash between them.
std::string join_url(std::string_view base, std::string_view name);

}  // namespace incident_bot::bot
