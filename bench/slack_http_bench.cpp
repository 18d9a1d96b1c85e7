// Signed slash commands over loopback against the running bot: acks/s and ack latency.
// usage: slack_http_bench [connections=8] [commands_per_second=1000] [seconds=10]
#include "bot/net/form.hpp"
#include "bot/app/runtime.hpp"
#include "bot/slack/signature.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <thread>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using namespace incident_bot;
using steady = std::chrono::steady_clock;

namespace {

constexpr const char* secret = "bench-signing-secret";

Timestamp wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

http::request<http::string_body> signed_command(const std::string& text, const std::string& trigger) {
  const std::string body = "team_id=T1&channel_id=C0BENCH&user_id=U0BENCH&command=%2Fincident&text=" +
                           bot::percent_encode(text) + "&trigger_id=" + trigger;
  const std::string stamp = std::to_string(wall_now());
  http::request<http::string_body> request{http::verb::post, "/slack/commands", 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::content_type, "application/x-www-form-urlencoded");
  request.set("X-Slack-Request-Timestamp", stamp);
  request.set("X-Slack-Signature", bot::slack_signature(secret, stamp, body));
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  return request;
}

}  // namespace

int main(int argc, char** argv) {
  const int connections = argc > 1 ? std::atoi(argv[1]) : 8;
  const int rate = argc > 2 ? std::atoi(argv[2]) : 1000;
  const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;

  const auto folder = std::filesystem::temp_directory_path() / "incident-bot-bench-http";
  std::filesystem::remove_all(folder);
  bot::Config config;
  config.store.path = (folder / "bench.db").string();
  config.http.listen = "127.0.0.1:0";
  auto logger = std::make_shared<spdlog::logger>("bench", std::make_shared<spdlog::sinks::null_sink_mt>());
  bot::Runtime runtime(config, bot::Secrets{secret}, logger, wall_now);
  std::thread server([&] { runtime.run(); });
  const unsigned short port = runtime.http_port();

  std::vector<double> latencies_ms;
  std::mutex latencies_lock;
  int failures = 0;
  const int per_connection = rate * seconds / connections;
  const auto interval = std::chrono::nanoseconds(1'000'000'000LL * connections / rate);

  {  // one incident for the commands to address
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
    auto request = signed_command("declare Benchmark incident sev3", "0.declare");
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
  }

  const auto started = steady::now();
  std::vector<std::thread> clients;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      asio::io_context io;
      beast::tcp_stream stream(io);
      stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      beast::flat_buffer buffer;
      std::vector<double> mine;
      mine.reserve(per_connection);
      int failed = 0;
      auto next = started + interval * c / connections;
      for (int i = 0; i < per_connection; ++i) {
        std::this_thread::sleep_until(next);
        next += interval;
        const std::string text = (i % 10 == 0) ? "INC-1 update error rate climbing | scope: bench | confidence: low"
                                                : "INC-1 note check " + std::to_string(i) + " from client " + std::to_string(c);
        auto request = signed_command(text, std::to_string(c) + "." + std::to_string(i) + ".bench");
        const auto sent = steady::now();
        http::write(stream, request);
        http::response<http::string_body> response;
        http::read(stream, buffer, response);
        mine.push_back(std::chrono::duration<double, std::milli>(steady::now() - sent).count());
        if (response.result() != http::status::ok) ++failed;
      }
      std::lock_guard lock(latencies_lock);
      latencies_ms.insert(latencies_ms.end(), mine.begin(), mine.end());
      failures += failed;
    });
  }
  for (auto& client : clients) client.join();
  const double elapsed = std::chrono::duration<double>(steady::now() - started).count();
  runtime.stop();
  server.join();

  std::sort(latencies_ms.begin(), latencies_ms.end());
  const auto percentile = [&](double p) { return latencies_ms[static_cast<std::size_t>(p * (latencies_ms.size() - 1))]; };
  std::printf("connections %d, offered %d commands/s for %ds, store synchronous=FULL (WAL)\n", connections, rate, seconds);
  std::printf("acked %zu commands in %.2fs: %.0f acks/s, %d non-200\n", latencies_ms.size(), elapsed,
              latencies_ms.size() / elapsed, failures);
  std::printf("ack latency ms: p50 %.3f  p90 %.3f  p99 %.3f  max %.3f\n", percentile(0.50), percentile(0.90),
              percentile(0.99), latencies_ms.back());
  std::filesystem::remove_all(folder);
  return failures == 0 ? 0 : 1;
}
