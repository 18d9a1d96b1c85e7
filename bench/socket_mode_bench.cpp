// Slash-command envelopes over a loopback Socket Mode WebSocket against the running bot:
// envelopes acknowledged per second and ack latency.
// usage: socket_mode_bench [envelopes_per_second=1000, 0 = as fast as acks allow] [seconds=10] [window=64]
#include "bot/app/runtime.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using namespace incident_bot;
using asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

Timestamp wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Run {
  int rate = 1000;
  int seconds = 10;
  int window = 64;
  int total = 0;
  std::map<std::string, steady::time_point> sent;  // envelope id -> when it was written
  std::vector<double> latencies_ms;
  steady::time_point started, finished;
  int in_flight = 0;
  std::unique_ptr<asio::steady_timer> room;  // cancelled when an ack frees a slot
};

std::string envelope(int i) {
  const std::string text = i == 0         ? "declare Benchmark incident sev3"
                           : i % 10 == 0 ? "INC-1 update error rate climbing | scope: bench | confidence: low"
                                         : "INC-1 note check " + std::to_string(i);
  json::object payload{{"channel_id", "C0BENCH"}, {"user_id", "U0BENCH"}, {"command", "/incident"},
                       {"text", text}, {"trigger_id", std::to_string(i) + ".bench"}};
  return json::serialize(json::object{{"envelope_id", "bench-" + std::to_string(i)}, {"type", "slash_commands"},
                                      {"payload", std::move(payload)}, {"accepts_response_payload", true}});
}

asio::awaitable<void> send_envelopes(websocket::stream<beast::tcp_stream>& ws, Run& run) {
  const auto interval = run.rate > 0 ? std::chrono::nanoseconds(1'000'000'000LL / run.rate) : std::chrono::nanoseconds(0);
  asio::steady_timer pace(ws.get_executor());
  run.started = steady::now();
  for (int i = 0; i < run.total; ++i) {
    if (run.rate > 0) {
      pace.expires_at(run.started + interval * i);
      co_await pace.async_wait(asio::use_awaitable);
    }
    while (run.in_flight >= run.window) {
      run.room->expires_at(steady::time_point::max());
      boost::system::error_code ignored;
      co_await run.room->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    }
    const std::string message = envelope(i);
    run.sent["bench-" + std::to_string(i)] = steady::now();
    ++run.in_flight;
    co_await ws.async_write(asio::buffer(message), asio::use_awaitable);
  }
}

asio::awaitable<void> read_acks(websocket::stream<beast::tcp_stream>& ws, Run& run) {
  beast::flat_buffer buffer;
  while (static_cast<int>(run.latencies_ms.size()) < run.total) {
    buffer.clear();
    co_await ws.async_read(buffer, asio::use_awaitable);
    const auto now = steady::now();
    boost::system::error_code ec;
    const auto message = json::parse(beast::buffers_to_string(buffer.data()), ec);
    if (ec || !message.is_object() || !message.as_object().contains("envelope_id")) continue;
    const auto found = run.sent.find(std::string(message.as_object().at("envelope_id").as_string()));
    if (found == run.sent.end()) continue;
    run.latencies_ms.push_back(std::chrono::duration<double, std::milli>(now - found->second).count());
    run.sent.erase(found);
    --run.in_flight;
    run.room->cancel();
  }
  run.finished = steady::now();
}

// One port for both: apps.connections.open over HTTP, then the WebSocket it points at.
asio::awaitable<void> serve(tcp::acceptor& acceptor, Run& run, bool& done) {
  const auto port = acceptor.local_endpoint().port();
  for (;;) {
    beast::tcp_stream stream(co_await acceptor.async_accept(asio::use_awaitable));
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, asio::use_awaitable);
    if (!websocket::is_upgrade(request)) {
      http::response<http::string_body> response{http::status::ok, 11};
      response.set(http::field::content_type, "application/json");
      response.body() = R"({"ok":true,"url":"ws://127.0.0.1:)" + std::to_string(port) + R"(/link/?ticket=bench"})";
      response.prepare_payload();
      co_await http::async_write(stream, response, asio::use_awaitable);
      continue;
    }
    websocket::stream<beast::tcp_stream> ws(std::move(stream));
    co_await ws.async_accept(request, asio::use_awaitable);
    ws.text(true);
    co_await ws.async_write(asio::buffer(std::string(R"({"type":"hello","num_connections":1})")), asio::use_awaitable);
    run.room = std::make_unique<asio::steady_timer>(ws.get_executor());
    asio::co_spawn(ws.get_executor(), send_envelopes(ws, run), asio::detached);
    co_await read_acks(ws, run);
    done = true;
    co_return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Run run;
  run.rate = argc > 1 ? std::atoi(argv[1]) : 1000;
  run.seconds = argc > 2 ? std::atoi(argv[2]) : 10;
  run.window = argc > 3 ? std::max(1, std::atoi(argv[3])) : 64;
  run.total = run.rate > 0 ? run.rate * run.seconds : 20'000;

  asio::io_context io(1);
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  bool done = false;
  asio::co_spawn(io, serve(acceptor, run, done), [](std::exception_ptr failure) {
    if (failure) std::rethrow_exception(failure);
  });

  const auto folder = std::filesystem::temp_directory_path() / "incident-bot-bench-socket";
  std::filesystem::remove_all(folder);
  bot::Config config;
  config.store.path = (folder / "bench.db").string();
  config.slack.api_url = "http://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/api";
  auto logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Runtime runtime(config, bot::Secrets{std::nullopt, std::nullopt, std::string("xapp-bench")}, logger, wall_now);
  std::thread bot_thread([&] { runtime.run(); });
  io.run();
  runtime.stop();
  bot_thread.join();

  auto& latencies = run.latencies_ms;
  std::sort(latencies.begin(), latencies.end());
  const auto percentile = [&](double p) { return latencies[static_cast<std::size_t>(p * (latencies.size() - 1))]; };
  const double elapsed = std::chrono::duration<double>(run.finished - run.started).count();
  if (run.rate > 0)
    std::printf("one connection, offered %d envelopes/s for %ds (at most %d unacked), store synchronous=FULL (WAL)\n",
                run.rate, run.seconds, run.window);
  else
    std::printf("one connection, %d envelopes as fast as acks allow (at most %d unacked), store synchronous=FULL (WAL)\n",
                run.total, run.window);
  std::printf("acked %zu envelopes in %.2fs: %.0f acks/s\n", latencies.size(), elapsed, latencies.size() / elapsed);
  std::printf("ack latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", percentile(0.50), percentile(0.90),
              percentile(0.99), latencies.back());
  std::filesystem::remove_all(folder);
  return done && static_cast<int>(latencies.size()) == run.total ? 0 : 1;
}
