#include "bot/net/http_server.hpp"

#include "bot/net/router.hpp"
#include "fakes/http_caller.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>
#include <stdexcept>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using incident_bot::bot::HttpServer;
using incident_bot::bot::HttpServerOptions;
using incident_bot::bot::plain_response;
using incident_bot::bot::Router;
using incident_bot::bot::ServerRequest;
using incident_bot::fakes::http_call;
using Catch::Matchers::Contains;

namespace {

constexpr const char* secret = "xoxb-never-in-a-log-line";

// A server on 127.0.0.1, port 0, on its own thread; its log lines collect in `log` (read it after stop()).
struct TestServer {
  explicit TestServer(HttpServerOptions options = {}) {
    router.add(http::verb::get, "/healthz",
               [](const ServerRequest&) { return plain_response(http::status::ok, "ok\n"); });
    router.add(http::verb::post, "/echo", [](const ServerRequest& request) {
      return plain_response(http::status::ok, request.body());
    });
    router.add(http::verb::post, "/explodes", [](const ServerRequest&) -> incident_bot::bot::ServerResponse {
      throw std::runtime_error("the store is busy");
    });
    router.add(http::verb::get, "/throws-anything", [](const ServerRequest&) -> incident_bot::bot::ServerResponse {
      throw 42;
    });
    server = std::make_unique<HttpServer>(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0),
                                          std::ref(router), logger, options);
    thread = std::thread([this] { io.run(); });
  }
  ~TestServer() { stop(); }

  unsigned short port() const { return server->port(); }
  void stop() {
    if (!thread.joinable()) return;
    io.stop();
    thread.join();
  }

  std::ostringstream log;
  std::shared_ptr<spdlog::logger> logger =
      std::make_shared<spdlog::logger>("http", std::make_shared<spdlog::sinks::ostream_sink_mt>(log));
  Router router;
  asio::io_context io;
  std::unique_ptr<HttpServer> server;
  std::thread thread;
};

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

}  // namespace

TEST_CASE("http server: a normal route answers 200", "[http_server]") {
  TestServer server;
  const auto health = http_call(server.port(), "GET", "/healthz", "");
  CHECK(health.status == 200);
  CHECK(health.body == "ok\n");
  CHECK(http_call(server.port(), "POST", "/echo", "hello").body == "hello");
}

TEST_CASE("http server: a throwing handler is a 500 with one line; the log names the route, not the secrets",
          "[http_server]") {
  TestServer server;
  const auto failed = http_call(server.port(), "POST", std::string("/explodes?token=") + secret,
                                std::string("text=") + secret, {{"Authorization", std::string("Bearer ") + secret}});
  CHECK(failed.status == 500);
  CHECK(failed.body == "internal error\n");
  CHECK(failed.headers.at("connection") == "close");
  CHECK(http_call(server.port(), "GET", "/throws-anything?x=1", "").status == 500);
  // The next connection is served as if nothing happened.
  CHECK(http_call(server.port(), "GET", "/healthz", "").status == 200);

  server.stop();
  const std::string text = server.log.str();
  CAPTURE(text);
  CHECK(count_of(text, "[error]") == 2);
  CHECK_THAT(text, Contains("http POST /explodes: handler failed: the store is busy"));
  CHECK_THAT(text, Contains("http GET /throws-anything: handler failed with an exception of unknown type"));
  CHECK(text.find(secret) == std::string::npos);
  CHECK(text.find("token=") == std::string::npos);
}

TEST_CASE("http server: after a 500 the connection is closed, even when the client asked to keep it", "[http_server]") {
  TestServer server;
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(10));
  stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), server.port()));
  http::request<http::string_body> request{http::verb::post, "/explodes", 11};
  request.set(http::field::host, "127.0.0.1");
  request.keep_alive(true);
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  CHECK(response.result() == http::status::internal_server_error);
  CHECK_FALSE(response.keep_alive());
  beast::error_code ec;
  http::read(stream, buffer, response, ec);
  CHECK(ec == http::error::end_of_stream);
}

TEST_CASE("http server: a body over the limit is 413 and never reaches the handler", "[http_server]") {
  TestServer server(HttpServerOptions{.body_limit = 1024});
  const auto oversized = http_call(server.port(), "POST", "/echo", std::string(1025, 'a'));
  CHECK(oversized.status == 413);
  CHECK(oversized.body == "request body over 1 KiB\n");
  CHECK(http_call(server.port(), "POST", "/echo", std::string(1024, 'a')).status == 200);
}
