#include "bot/net/http_server.hpp"

#include "bot/net/router.hpp"
#include "fakes/delivery_worlds.hpp"
#include "fakes/http_caller.hpp"
#include "fakes/running_bot.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/ostream_sink.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
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
using incident_bot::fakes::eventually;
using incident_bot::fakes::http_call;
using Catch::Matchers::Contains;
using namespace std::chrono_literals;

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

// A connection of the test's own, kept alive between requests. Every read gives up after 5 s, so a server
// that never closes fails the test with beast::error::timeout instead of hanging it.
struct Client {
  explicit Client(unsigned short port) : stream(io) {
    stream.expires_after(5s);
    stream.async_connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                         [this](beast::error_code ec) { last = ec; });
    run();
    REQUIRE_FALSE(last);
  }

  void send(const std::string& bytes) {
    stream.expires_after(5s);
    asio::async_write(stream, asio::buffer(bytes), [this](beast::error_code ec, std::size_t) { last = ec; });
    run();
    REQUIRE_FALSE(last);
  }
  void send_get(const std::string& target) {
    send("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
  }
  // The next response, or the error met reading it: http::error::end_of_stream once the server closed.
  beast::error_code read(http::response<http::string_body>& response) {
    stream.expires_after(5s);
    http::async_read(stream, buffer, response, [this](beast::error_code ec, std::size_t) { last = ec; });
    run();
    return last;
  }
  http::response<http::string_body> get(const std::string& target) {
    send_get(target);
    http::response<http::string_body> response;
    REQUIRE_FALSE(read(response));
    return response;
  }
  beast::error_code next_read() {
    http::response<http::string_body> response;
    return read(response);
  }
  void close() {
    beast::error_code ignored;
    stream.socket().close(ignored);
  }

  void run() {
    io.restart();
    io.run();
  }

  asio::io_context io;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  beast::error_code last;
};

// Timeouts long enough never to fire in a test, but one that a test shortens.
HttpServerOptions patient() {
  HttpServerOptions options;
  options.idle_timeout = 60s;
  options.header_timeout = 60s;
  options.body_timeout = 60s;
  return options;
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

TEST_CASE("http server: beyond max_connections a new connection gets 503 and is closed; closing one frees a place",
          "[http_server]") {
  HttpServerOptions options = patient();
  options.max_connections = 2;
  TestServer server(options);
  Client first(server.port());
  Client second(server.port());
  CHECK(first.get("/healthz").result() == http::status::ok);
  CHECK(second.get("/healthz").result() == http::status::ok);

  Client third(server.port());
  third.send_get("/healthz");
  http::response<http::string_body> refused;
  REQUIRE_FALSE(third.read(refused));
  CHECK(refused.result() == http::status::service_unavailable);
  CHECK(refused[http::field::connection] == "close");
  CHECK(refused.body() == "too many connections, try again later\n");
  CHECK(third.next_read() == http::error::end_of_stream);
  CHECK(second.get("/healthz").result() == http::status::ok);  // the two admitted are still served

  first.close();
  // The server notices the close on its own turn: until then a new connection may still be refused.
  CHECK(eventually([&] { return http_call(server.port(), "GET", "/healthz", "").status == 200; }, 5s));

  server.stop();
  const std::string text = server.log.str();
  CAPTURE(text);
  CHECK(count_of(text, "2 connections open (http.max_connections)") == 1);
  CHECK(count_of(text, "accepting connections again after refusing") == 1);
}

TEST_CASE("http server: a kept-alive connection left idle is closed after the idle timeout", "[http_server]") {
  HttpServerOptions options = patient();
  options.idle_timeout = 200ms;
  TestServer server(options);
  Client client(server.port());
  CHECK(client.get("/healthz").result() == http::status::ok);
  CHECK(client.next_read() == http::error::end_of_stream);
  Client silent(server.port());  // one that never sends a request at all
  CHECK(silent.next_read() == http::error::end_of_stream);
}

TEST_CASE("http server: a client that stalls in its header, or in its body, is dropped", "[http_server]") {
  // What the client meets after sending `bytes` to a server with one timeout shortened.
  const auto after_stalling = [](void (*shorten)(HttpServerOptions&), const std::string& bytes) {
    HttpServerOptions options = patient();
    shorten(options);
    TestServer server(options);
    Client client(server.port());
    client.send(bytes);
    return client.next_read();
  };
  CHECK(after_stalling([](HttpServerOptions& options) { options.header_timeout = 200ms; },
                       "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ") == http::error::end_of_stream);
  CHECK(after_stalling([](HttpServerOptions& options) { options.body_timeout = 200ms; },
                       "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nonly ten b") ==
        http::error::end_of_stream);
}

namespace {

// The lowest descriptor number a process has not open: with RLIMIT_NOFILE set to it, it can open no more.
rlim_t lowest_free_descriptor(pid_t pid) {
  std::set<long> open;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd"))
    open.insert(std::stol(entry.path().filename().string()));
  rlim_t lowest = 0;
  while (open.count(static_cast<long>(lowest))) ++lowest;
  return lowest;
}

std::string file_text(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// An HttpServer in a child process, so lowering its descriptor limit cannot disturb the test runner.
class ServerProcess {
 public:
  explicit ServerProcess(const std::string& log_path) {
    int ports[2];
    REQUIRE(::pipe(ports) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) serve(log_path, ports[1]);
    ::close(ports[1]);
    REQUIRE(::read(ports[0], &port_, sizeof port_) == sizeof port_);
    ::close(ports[0]);
  }
  ~ServerProcess() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  pid_t pid() const { return pid_; }
  unsigned short port() const { return port_; }

 private:
  [[noreturn]] static void serve(const std::string& log_path, int report_port) {
    try {
      asio::io_context io;
      auto logger = std::make_shared<spdlog::logger>("http", std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_path));
      logger->flush_on(spdlog::level::trace);
      Router router;
      router.add(http::verb::get, "/healthz",
                 [](const ServerRequest&) { return plain_response(http::status::ok, "ok\n"); });
      HttpServer server(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0), std::ref(router), logger);
      const unsigned short port = server.port();
      if (::write(report_port, &port, sizeof port) != sizeof port) ::_exit(3);
      io.run();
    } catch (...) {
      ::_exit(2);
    }
    ::_exit(0);
  }

  pid_t pid_ = 0;
  unsigned short port_ = 0;
};

}  // namespace

TEST_CASE("http server: out of descriptors, accepting backs off and logs once, then serves again", "[http_server]") {
  const incident_bot::fakes::TempDir dir;
  const std::string log_path = (dir.path / "server.log").string();
  ServerProcess child(log_path);
  rlimit before{};
  REQUIRE(::prlimit(child.pid(), RLIMIT_NOFILE, nullptr, &before) == 0);
  rlimit exhausted = before;
  exhausted.rlim_cur = lowest_free_descriptor(child.pid());
  REQUIRE(::prlimit(child.pid(), RLIMIT_NOFILE, &exhausted, nullptr) == 0);

  Client waiting(child.port());  // queued by the kernel; the server cannot take it yet
  waiting.send_get("/healthz");
  REQUIRE(eventually([&] { return file_text(log_path).find("http accept failed") != std::string::npos; }, 5s));
  std::this_thread::sleep_for(300ms);  // long enough for a spinning loop to fail thousands of times
  REQUIRE(::prlimit(child.pid(), RLIMIT_NOFILE, &before, nullptr) == 0);

  http::response<http::string_body> served;
  REQUIRE_FALSE(waiting.read(served));
  CHECK(served.result() == http::status::ok);
  CHECK(http_call(child.port(), "GET", "/healthz", "").status == 200);

  const std::string text = file_text(log_path);
  CAPTURE(text);
  CHECK(count_of(text, "http accept failed") == 1);
  CHECK_THAT(text, Contains("Too many open files"));
  std::smatch again;
  REQUIRE(std::regex_search(text, again, std::regex("accepting again after ([0-9]+) failed attempts in ([0-9]+) ms")));
  // Waits of 50 ms doubling to 1 s allow a handful of attempts plus one a second; a spinning loop makes thousands.
  const long attempts = std::stol(again[1]);
  const long elapsed_ms = std::stol(again[2]);
  CHECK(attempts >= 1);
  CHECK(attempts <= 8 + elapsed_ms / 1000);
}
