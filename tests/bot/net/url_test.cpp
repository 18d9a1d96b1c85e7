#include "bot/net/url.hpp"

#include <catch2/catch.hpp>

#include <string>

using incident_bot::bot::join_url;
using incident_bot::bot::parse_url;
using incident_bot::bot::Url;

namespace {

Url parsed(const std::string& text) {
  INFO(text);
  const auto url = parse_url(text);
  REQUIRE(url.has_value());
  return *url;
}

}  // namespace

TEST_CASE("url: scheme, host, port and target of absolute URLs", "[url]") {
  struct Row {
    const char* text;
    const char* scheme;
    const char* host;
    std::uint16_t port;
    const char* target;
    bool tls;
  };
  const Row rows[] = {
      {"https://slack.com/api", "https", "slack.com", 443, "/api", true},
      {"https://slack.com", "https", "slack.com", 443, "/", true},
      {"https://slack.com/", "https", "slack.com", 443, "/", true},
      {"http://127.0.0.1:8080/api/chat.postMessage", "http", "127.0.0.1", 8080, "/api/chat.postMessage", false},
      {"HTTP://Example.COM:80/Path", "http", "example.com", 80, "/Path", false},
      {"https://[::1]:8443/api", "https", "::1", 8443, "/api", true},
      {"http://[2001:db8::7]/x", "http", "2001:db8::7", 80, "/x", false},
      {"wss://wss-primary.slack.com/link/?ticket=abc&app_id=A1", "wss", "wss-primary.slack.com", 443,
       "/link/?ticket=abc&app_id=A1", true},
      {"ws://localhost:1/", "ws", "localhost", 1, "/", false},
      {"https://host?x=1", "https", "host", 443, "/?x=1", true},
      {"https://host/a#fragment", "https", "host", 443, "/a", true},
      {"https://host:65535", "https", "host", 65535, "/", true},
  };
  for (const auto& row : rows) {
    const auto url = parsed(row.text);
    INFO(row.text);
    CHECK(url.scheme == row.scheme);
    CHECK(url.host == row.host);
    CHECK(url.port == row.port);
    CHECK(url.target == row.target);
    CHECK(url.tls() == row.tls);
  }
}

TEST_CASE("url: malformed or unsupported URLs are refused without throwing", "[url]") {
  const char* rejected[] = {
      "",
      "slack.com/api",
      "ftp://host/x",
      "https://",
      "https:///path",
      "https://user:secret@host/",
      "https://host:/x",
      "https://host:0/",
      "https://host:65536/",
      "https://host:12ab/",
      "https://host:123456/",
      "https://[::1/x",
      "https://[::1]x/",
      "https://[127.0.0.1]/",
      "https://::1/",
      "https://host/a b",
      "https://host/\r\nX-Injected: 1",
  };
  for (const auto* text : rejected) {
    INFO(text);
    CHECK_FALSE(parse_url(text).has_value());
  }
}

TEST_CASE("url: the Host header brackets IPv6 and names only a non-default port", "[url]") {
  CHECK(parsed("https://slack.com/api").host_header() == "slack.com");
  CHECK(parsed("https://slack.com:8443/api").host_header() == "slack.com:8443");
  CHECK(parsed("http://127.0.0.1:80/").host_header() == "127.0.0.1");
  CHECK(parsed("http://[::1]:9000/").host_header() == "[::1]:9000");
  CHECK(parsed("https://[::1]/").host_header() == "[::1]");
  CHECK(parsed("https://[::1]/").ipv6_literal());
  CHECK_FALSE(parsed("https://127.0.0.1/").ipv6_literal());
}

TEST_CASE("url: join puts exactly one slash between a base and a method", "[url]") {
  CHECK(join_url("https://slack.com/api", "chat.postMessage") == "https://slack.com/api/chat.postMessage");
  CHECK(join_url("https://slack.com/api/", "chat.postMessage") == "https://slack.com/api/chat.postMessage");
  CHECK(join_url("http://127.0.0.1:1234", "/users.info") == "http://127.0.0.1:1234/users.info");
}

TEST_CASE("parse_host_port: IP literals and localhost, IPv6 in brackets, ports 0 to 65535", "[url]") {
  using incident_bot::bot::parse_host_port;
  const auto v4 = parse_host_port("127.0.0.1:3000");
  REQUIRE(v4.ok());
  CHECK(v4.endpoint.address().to_string() == "127.0.0.1");
  CHECK(v4.endpoint.port() == 3000);
  const auto v6 = parse_host_port("[::1]:3000");
  REQUIRE(v6.ok());
  CHECK(v6.endpoint.address().is_v6());
  CHECK(v6.endpoint.address().to_string() == "::1");
  const auto any_port = parse_host_port("localhost:0");
  REQUIRE(any_port.ok());
  CHECK(any_port.endpoint.address().to_string() == "127.0.0.1");
  CHECK(any_port.endpoint.port() == 0);
  CHECK(parse_host_port("0.0.0.0:65535").ok());

  for (const std::string bad : {"127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:+1", "::1:3000", "[::1]",
                                "example.com:3000", "local host:1", "[127.0.0.1]:3000", "[localhost]:1", ":3000", ""}) {
    INFO(bad);
    const auto refused = parse_host_port(bad);
    CHECK_FALSE(refused.ok());
    CHECK_FALSE(refused.problem.empty());
  }
}
