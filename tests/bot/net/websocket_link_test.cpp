#include "bot/net/websocket_link.hpp"

#include "bot/net/tls_client.hpp"
#include "fakes/socket_mode_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>

namespace asio = boost::asio;
using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

// An io_context on its own thread, a link opened on it, and what the link reported.
struct LinkWorld {
  explicit LinkWorld(std::string ca_file = {}) { bot::configure_client_tls(tls, ca_file); }
  ~LinkWorld() {
    work.reset();
    io.stop();
    thread.join();
  }

  bot::OpenedLink open(const std::string& url, bot::WebSocketLinkOptions options = quick()) {
    const auto parsed = bot::parse_url(url);
    REQUIRE(parsed);
    return asio::co_spawn(io, bot::open_websocket(io, tls, *parsed, options), asio::use_future).get();
  }
  void start(bot::WebSocketLink& link) {
    link.start({[this](std::string text) {
                  std::lock_guard lock(mutex);
                  messages.push_back(std::move(text));
                  changed.notify_all();
                },
                [this](std::string why) {
                  std::lock_guard lock(mutex);
                  closed.push_back(std::move(why));
                  changed.notify_all();
                }});
  }
  bool wait(std::function<bool()> done) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, 5s, done);
  }
  static bot::WebSocketLinkOptions quick() { return {2s, 20ms, 2s}; }

  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  asio::ssl::context tls{asio::ssl::context::tls_client};
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> messages;
  std::vector<std::string> closed;
};

}  // namespace

TEST_CASE("websocket link: messages both ways, in order, and a clean close reported once") {
  fakes::SocketModeServer server;
  LinkWorld world;
  auto [link, ec] = world.open(server.url());
  REQUIRE_FALSE(ec);
  world.start(*link);
  REQUIRE(world.wait([&] { return world.messages.size() == 1; }));  // the hello
  CHECK_THAT(world.messages[0], Catch::Contains(R"("type":"hello")"));
  CHECK_THAT(server.target(1), Catch::StartsWith("/link/?ticket=fake-ticket-"));
  CHECK_THAT(server.user_agent(1), Catch::StartsWith("incident-bot/"));
  for (int i = 0; i < 200; ++i) link->send(R"({"envelope_id":"e-)" + std::to_string(i) + R"("})");
  REQUIRE(server.wait_for_ack_count(200, 5s));
  const auto acks = server.acks();
  for (int i = 0; i < 200; ++i) CHECK(acks[static_cast<std::size_t>(i)].envelope_id == "e-" + std::to_string(i));
  server.send_text(1, "second");
  REQUIRE(world.wait([&] { return world.messages.size() == 2; }));
  link->close();
  REQUIRE(server.wait_closed(1, 5s));
  REQUIRE(world.wait([&] { return !world.closed.empty(); }));
  CHECK(world.closed[0] == "closed by the bot");
  std::this_thread::sleep_for(50ms);
  std::lock_guard lock(world.mutex);
  CHECK(world.closed.size() == 1);
}

TEST_CASE("websocket link: the link pings through its queue and answers the server's pings") {
  fakes::SocketModeServer server;
  LinkWorld world;
  auto [link, ec] = world.open(server.url());
  REQUIRE_FALSE(ec);
  world.start(*link);
  CHECK(server.wait_for_pings(1, 3, 5s));
  server.ping(1);  // answered with a pong by the link's read; the connection stays up
  for (int i = 0; i < 50; ++i) link->send(R"({"envelope_id":"p-)" + std::to_string(i) + R"("})");
  REQUIRE(server.wait_for_ack_count(50, 5s));
  CHECK(server.is_open(1));
  link->drop();
  REQUIRE(world.wait([&] { return !world.closed.empty(); }));
  CHECK(world.closed[0] == "dropped by the bot");
}

TEST_CASE("websocket link: a silent peer is dropped after the silence timeout") {
  fakes::SocketModeServer server;
  LinkWorld world;
  auto [link, ec] = world.open(server.url(), {2s, 20ms, 200ms});
  REQUIRE_FALSE(ec);
  world.start(*link);
  REQUIRE(world.wait([&] { return world.messages.size() == 1; }));
  server.go_silent(1);
  REQUIRE(world.wait([&] { return !world.closed.empty(); }));
  CHECK_THAT(world.closed[0], Catch::StartsWith("nothing heard for"));
}

TEST_CASE("websocket link: a dropped TCP connection ends the link") {
  fakes::SocketModeServer server;
  LinkWorld world;
  auto [link, ec] = world.open(server.url());
  REQUIRE_FALSE(ec);
  world.start(*link);
  REQUIRE(server.wait_for_connection(1, 5s));
  server.drop(1);
  REQUIRE(world.wait([&] { return !world.closed.empty(); }));
  link->send("after the end");  // ignored, never a crash
}

TEST_CASE("websocket link: wss is verified against tls.ca_file; an unknown certificate is refused") {
  fakes::SocketModeServer server({.tls = true});
  {
    LinkWorld trusting(server.ca_file());
    auto [link, ec] = trusting.open(server.url());
    REQUIRE_FALSE(ec);
    trusting.start(*link);
    REQUIRE(trusting.wait([&] { return trusting.messages.size() == 1; }));
    link->send(R"({"envelope_id":"tls-1"})");
    CHECK(server.wait_for_acks("tls-1", 1, 5s));
    CHECK(server.sni(1).empty());  // an IP literal carries no SNI
  }
  LinkWorld doubting;
  const auto refused = doubting.open(server.url());
  CHECK(refused.ec);
  CHECK(refused.link == nullptr);
}

TEST_CASE("websocket link: nobody listening is an error code, not a hang") {
  std::uint16_t port = 0;
  {
    fakes::SocketModeServer gone;
    port = gone.port();
  }
  LinkWorld world;
  const auto opened = world.open("ws://127.0.0.1:" + std::to_string(port) + "/link/");
  CHECK(opened.ec);
}
