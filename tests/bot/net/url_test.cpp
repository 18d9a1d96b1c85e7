#include "bot/net/url.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

template <std::size_t count>
void require_refused(const char* const (&texts)[count]) {
  for (const auto* text : texts) {
    INFO(text);
    CHECK_FALSE(parse_url(text).has_value());
  }
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
  require_refused(rejected);
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

TEST_CASE("url: hostile input is refused, or kept whole, without throwing", "[url]") {
  const std::string huge_host(100'000, 'a');
  const char* rejected[] = {
      "https://ho%0D%0Ast/",              // an escape that would decode into a header break
      "https://host%2Fevil/",             // any escape in a host name
      "https://[fe80::1%25eth0]/",        // a zone id
      "https://[v1.future]/",             // an IPvFuture literal
      "https://@host/",                   // empty user info is user info
      "https://host:99999999999999999999/",
      "https://host/%zz",                 // a bad escape in the path
      "https://host/a%",
      "https://host:443ab/",              // a path glued to the port
      "https://[::1]:443:1/",
      "https://ho st/",
      "https://host\t/",
  };
  require_refused(rejected);
  const auto long_path = parsed("https://host/" + std::string(1'000'000, 'p') + "?q=" + std::string(1'000, 'q'));
  CHECK(long_path.target.size() == 1 + 1'000'000 + 3 + 1'000);
  CHECK(parsed("https://" + huge_host + "/").host == huge_host);
  CHECK(parsed("https://[2001:DB8:0:0:0:0:0:1]:8443/").host == "2001:db8::1");
  CHECK(parsed("http://[::ffff:127.0.0.1]/").host_header() == "[::ffff:127.0.0.1]");
  CHECK(parsed("https://host/a%20b?x=%41").target == "/a%20b?x=%41");  // the target stays encoded
}

TEST_CASE("parse_host_port: a missing port, user info, a path or a zone id are refused with a reason", "[url]") {
  using incident_bot::bot::parse_host_port;
  const std::string huge = std::string(100'000, '1') + ":1";
  const std::vector<std::string> refusals{"[::1]:", "localhost", "localhost:", "127.0.0.1:99999", "127.0.0.1:3000/x",
                                          "user@127.0.0.1:1", "[fe80::1%25eth0]:1", "127.0.0.1:3000 ", "[::1]3000",
                                          "127.0.0.1:%33", huge};
  for (const auto& bad : refusals) {
    INFO(bad);
    const auto refused = parse_host_port(bad);
    CHECK_FALSE(refused.ok());
    CHECK_FALSE(refused.problem.empty());
  }
  CHECK(parse_host_port("[::1]").problem == "expected host:port such as 127.0.0.1:3000 or [::1]:3000");
  CHECK(parse_host_port("::1:3000").problem == "write an IPv6 address in brackets, such as [::1]:3000");
  CHECK(parse_host_port("127.0.0.1:65536").problem == "the port must be a number from 0 to 65535");
  const auto full = parse_host_port("[2001:db8::7]:0");
  REQUIRE(full.ok());
  CHECK(full.endpoint.address().to_string() == "2001:db8::7");
}

TEST_CASE("url: an empty view is refused without reading past it") {
  const std::string buffer = "https://slack.com/api";
  CHECK_FALSE(parse_url(std::string_view(buffer.data(), 0)));
  CHECK_FALSE(incident_bot::bot::parse_host_port(std::string_view(buffer.data(), 0)).ok());
}
