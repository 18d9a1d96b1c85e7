#include "bot/net/http_client.hpp"

#include "fakes/run_sync.hpp"
#include "fakes/slack_api_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <thread>

namespace asio = boost::asio;
namespace json = boost::json;
using incident_bot::bot::BeastHttpClient;
using incident_bot::bot::HttpClientError;
using incident_bot::bot::HttpHeaders;
using incident_bot::bot::HttpMethod;
using incident_bot::bot::HttpRequest;
using incident_bot::bot::HttpResult;
using incident_bot::bot::TlsOptions;
using incident_bot::fakes::run_sync;
using incident_bot::fakes::SlackApiServer;
using incident_bot::fakes::SlackApiServerOptions;
using namespace std::chrono_literals;

namespace {

HttpRequest post(std::string url, std::string body = R"({"channel":"C1","text":"hello"})") {
  HttpRequest request;
  request.url = std::move(url);
  request.headers = {{"Authorization", "Bearer xoxb-test"}, {"Content-Type", "application/json; charset=utf-8"}};
  request.body = std::move(body);
  request.timeout = 5s;
  return request;
}

HttpResult send(const HttpRequest& request, const TlsOptions& tls = {}) {
  asio::io_context io;
  BeastHttpClient client(io.get_executor(), tls);
  return run_sync(io, client.send(request));
}

}  // namespace

TEST_CASE("http client: header fields are found and replaced whatever their case", "[http_client]") {
  HttpHeaders headers{{"Content-Type", "text/plain"}, {"retry-after", "3"}};
  CHECK(headers.find("content-type") == "text/plain");
  CHECK(headers.find("Retry-After") == "3");
  CHECK_FALSE(headers.find("Authorization").has_value());
  headers.set("CONTENT-TYPE", "application/json");
  CHECK(headers.find("Content-Type") == "application/json");
  CHECK(headers.fields().size() == 2);
}

TEST_CASE("http client: a POST over plain http reaches the server whole", "[http_client]") {
  SlackApiServer slack;
  const auto result = send(post(slack.url() + "/chat.postMessage"));
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 200);
  CHECK(result.headers.find("content-type") == "application/json; charset=utf-8");
  CHECK(json::parse(result.body).at("ok") == true);
  const auto calls = slack.calls("chat.postMessage");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].http_method == "POST");
  CHECK(calls[0].target == "/api/chat.postMessage");
  CHECK(calls[0].header("authorization") == "Bearer xoxb-test");
  CHECK(calls[0].header("host") == "127.0.0.1:" + std::to_string(slack.port()));
  CHECK(calls[0].header("connection") == "close");
  CHECK(calls[0].arg("text") == "hello");
  CHECK(calls[0].sni.empty());
}

TEST_CASE("http client: an IPv6 literal host is connected to and sent in brackets", "[http_client]") {
  std::unique_ptr<SlackApiServer> slack;
  try {
    slack = std::make_unique<SlackApiServer>(SlackApiServerOptions{.bind_address = "::1"});
  } catch (const std::exception& no_ipv6) {
    WARN("no IPv6 loopback here: " << no_ipv6.what());
    return;
  }
  const auto result = send(post(slack->url() + "/chat.postMessage"));
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 200);
  REQUIRE(slack->count("chat.postMessage") == 1);
  CHECK(slack->calls()[0].header("host") == "[::1]:" + std::to_string(slack->port()));
}

TEST_CASE("http client: status and headers of an error answer are passed back", "[http_client]") {
  SlackApiServer slack;
  slack.answer_rate_limited("chat.postMessage", 1, 7s);
  slack.answer_http_status("chat.postMessage", 1, 503);
  auto result = send(post(slack.url() + "/chat.postMessage"));
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 429);
  CHECK(result.headers.find("Retry-After") == "7");
  result = send(post(slack.url() + "/chat.postMessage"));
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 503);
}

TEST_CASE("http client: https is verified against tls.ca_file, by IP and by name with SNI", "[http_client]") {
  SlackApiServer slack({.tls = true});
  REQUIRE_FALSE(slack.ca_file().empty());
  const TlsOptions trusted{.ca_file = slack.ca_file()};

  auto result = send(post(slack.url() + "/chat.postMessage"), trusted);
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 200);
  REQUIRE(slack.count("chat.postMessage") == 1);
  CHECK(slack.calls()[0].sni.empty());  // an IP literal is never sent as SNI

  result = send(post("https://localhost:" + std::to_string(slack.port()) + "/api/users.info"), trusted);
  REQUIRE_FALSE(result.ec);
  CHECK(result.status == 200);
  const auto calls = slack.calls("users.info");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].sni == "localhost");
  CHECK(calls[0].header("host") == "localhost:" + std::to_string(slack.port()));
}

TEST_CASE("http client: a certificate nobody vouches for is refused", "[http_client]") {
  SlackApiServer slack({.tls = true});
  const auto result = send(post(slack.url() + "/chat.postMessage"));
  CHECK(result.ec);
  CHECK(result.ec.category() == asio::error::get_ssl_category());
  CHECK(result.status == 0);
  CHECK(slack.calls().empty());
}

TEST_CASE("http client: a trusted certificate for another host name is refused", "[http_client]") {
  // The certificate names localhost and 127.0.0.1; the server answers on 127.0.0.2.
  SlackApiServer slack({.tls = true, .bind_address = "127.0.0.2"});
  const auto result = send(post(slack.url() + "/chat.postMessage"), {.ca_file = slack.ca_file()});
  CHECK(result.ec);
  CHECK(result.ec.category() == asio::error::get_ssl_category());
  CHECK(slack.calls().empty());
}

TEST_CASE("http client: a slow answer ends in a timeout, not a hang", "[http_client]") {
  SlackApiServer slack;
  slack.answer_delayed("chat.postMessage", 1, 3s);
  auto request = post(slack.url() + "/chat.postMessage");
  request.timeout = 200ms;
  const auto started = std::chrono::steady_clock::now();
  const auto result = send(request);
  CHECK(result.ec == boost::beast::error::timeout);
  CHECK(result.request_sent);  // the request was out: it may have been acted on
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("http client: a TLS server that never handshakes ends in a timeout", "[http_client]") {
  asio::io_context listener_io;
  // Connections complete in the kernel's backlog; nobody ever reads them.
  asio::ip::tcp::acceptor silent(listener_io, {asio::ip::make_address("127.0.0.1"), 0});
  auto request = post("https://127.0.0.1:" + std::to_string(silent.local_endpoint().port()) + "/api/x");
  request.timeout = 200ms;
  const auto started = std::chrono::steady_clock::now();
  const auto result = send(request);
  CHECK(result.ec == boost::beast::error::timeout);
  CHECK_FALSE(result.request_sent);
  CHECK(std::chrono::steady_clock::now() - started < 2s);
}

TEST_CASE("http client: a refused connection is an error code", "[http_client]") {
  std::uint16_t closed_port = 0;
  {
    asio::io_context io;
    asio::ip::tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
    closed_port = acceptor.local_endpoint().port();
  }
  const auto result = send(post("http://127.0.0.1:" + std::to_string(closed_port) + "/api/x"));
  CHECK(result.ec == asio::error::connection_refused);
  CHECK_FALSE(result.request_sent);
}

TEST_CASE("http client: a peer that reads the whole request and hangs up leaves the outcome unknown", "[http_client]") {
  asio::io_context listener_io;
  asio::ip::tcp::acceptor acceptor(listener_io, {asio::ip::make_address("127.0.0.1"), 0});
  std::string received_body;
  std::thread peer([&] {
    boost::beast::tcp_stream stream(acceptor.accept());
    stream.expires_after(5s);
    boost::beast::flat_buffer buffer;
    boost::beast::http::request<boost::beast::http::string_body> request;
    boost::beast::error_code ec;
    boost::beast::http::read(stream, buffer, request, ec);
    received_body = request.body();
    stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  });
  const auto result = send(post("http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/api/x"));
  peer.join();
  CHECK(received_body == R"({"channel":"C1","text":"hello"})");
  CHECK(result.ec);
  CHECK(result.status == 0);
  CHECK(result.request_sent);
}

TEST_CASE("http client: an answer means the request was sent", "[http_client]") {
  SlackApiServer slack;
  const auto result = send(post(slack.url() + "/chat.postMessage"));
  REQUIRE_FALSE(result.ec);
  CHECK(result.request_sent);
}

TEST_CASE("http client: a response body over the limit is refused", "[http_client]") {
  SlackApiServer slack;
  slack.answer_json("users.info", 1, {{"ok", true}, {"padding", std::string(BeastHttpClient::max_response_body, 'x')}});
  const auto result = send(post(slack.url() + "/users.info"));
  CHECK(result.ec == boost::beast::http::error::body_limit);
}

TEST_CASE("http client: bad URLs and header smuggling are refused before connecting", "[http_client]") {
  CHECK(send(post("ftp://127.0.0.1/x")).ec == make_error_code(HttpClientError::bad_url));
  CHECK(send(post("wss://127.0.0.1/x")).ec == make_error_code(HttpClientError::bad_url));
  CHECK(send(post("not a url")).ec == make_error_code(HttpClientError::bad_url));
  SlackApiServer slack;
  auto request = post(slack.url() + "/chat.postMessage");
  request.headers.add("X-Note", "a\r\nX-Injected: 1");
  const auto smuggled = send(request);
  CHECK(smuggled.ec == make_error_code(HttpClientError::bad_header));
  CHECK_FALSE(smuggled.request_sent);
  CHECK(slack.calls().empty());
}

TEST_CASE("http client: a GET without a body is sent as such", "[http_client]") {
  SlackApiServer slack;
  HttpRequest request;
  request.method = HttpMethod::get;
  request.url = slack.url() + "/auth.test?x=1";
  request.headers = {{"Authorization", "Bearer xoxb-test"}};
  const auto result = send(request);
  REQUIRE_FALSE(result.ec);
  CHECK(json::parse(result.body).at("team_id") == "T1");
  const auto calls = slack.calls("auth.test");
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].http_method == "GET");
  CHECK(calls[0].target == "/api/auth.test?x=1");
  CHECK(calls[0].raw_body.empty());
}

TEST_CASE("http client: an unreadable tls.ca_file is a start-up error naming the file", "[http_client]") {
  asio::io_context io;
  CHECK_THROWS_WITH(BeastHttpClient(io.get_executor(), {.ca_file = "/nonexistent/ca.pem"}),
                    Catch::Matchers::Contains("/nonexistent/ca.pem"));
}
