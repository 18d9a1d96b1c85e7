// The status page under load: GET /status and GET /api/v2/summary.json requests per second over loopback,
// at saturation and at half that rate, against `incident-bot run` as a child process with ten public
// incidents; and how long a publish written by another process takes to show.
//   status_page_bench [--seconds 10] [--connections 8]
#include "load_support.hpp"

#include "store/store.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <thread>

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using bench::steady;
using namespace incident_bot;

struct Load {
  double requests_per_second = 0;
  double p50_ms = 0, p99_ms = 0;
  double bot_cpu = 0;  // cores the bot used
  std::size_t bytes = 0;
};

// `connections` keep-alive clients, each in a closed loop, or paced to `rate` requests/s in all when rate > 0.
Load run_load(unsigned short port, const std::string& target, int connections, double seconds, double rate, pid_t bot) {
  std::atomic<std::size_t> done{0}, bytes{0};
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(connections));
  const auto start = steady::now();
  const auto end = start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
  const auto cpu_before = bench::CpuSample::take(bot);
  std::vector<std::thread> clients;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      asio::io_context io;
      asio::ip::tcp::socket socket(io);
      socket.connect({asio::ip::make_address("127.0.0.1"), port});
      beast::flat_buffer buffer;
      http::request<http::empty_body> request{http::verb::get, target, 11};
      request.set(http::field::host, "127.0.0.1");
      const double interval = rate > 0 ? connections / rate : 0;  // seconds between this client's requests
      auto next = steady::now();
      while (steady::now() < end) {
        if (interval > 0) {
          std::this_thread::sleep_until(next);
          next += std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(interval));
        }
        const auto sent = steady::now();
        http::write(socket, request);
        http::response<http::string_body> response;
        http::read(socket, buffer, response);
        if (response.result() != http::status::ok) throw std::runtime_error("GET " + target + " answered " +
                                                                           std::to_string(response.result_int()));
        latencies[static_cast<std::size_t>(c)].push_back(bench::ms_between(sent, steady::now()));
        bytes += response.body().size();
        ++done;
      }
    });
  }
  for (auto& client : clients) client.join();
  const double elapsed = std::chrono::duration<double>(steady::now() - start).count();
  const auto cpu_after = bench::CpuSample::take(bot);
  std::vector<double> all;
  for (const auto& some : latencies) all.insert(all.end(), some.begin(), some.end());
  const bench::Percentiles percentiles(std::move(all));
  return Load{static_cast<double>(done) / elapsed, percentiles.at(0.5), percentiles.at(0.99),
              (cpu_after.bot - cpu_before.bot) / elapsed, bytes / std::max<std::size_t>(done, 1)};
}

PublicEntry entry_numbered(std::int64_t number, Timestamp now) {
  PublicEntry entry;
  entry.public_id = "bench" + std::to_string(1000000 + number);
  entry.title = "Checkout errors for some customers, number " + std::to_string(number);
  for (std::int64_t sequence = 1; sequence <= 3; ++sequence)
    entry.updates.push_back(PublicUpdate{sequence, sequence == 3 && number % 2 ? PublicStatus::resolved : PublicStatus::identified,
                                         Impact::minor, "Update " + std::to_string(sequence) +
                                             ": payments by card fail for some customers; a fix is being deployed.",
                                         {"Checkout"}, now - 3600 + sequence * 60, now - 3600 + sequence * 60});
  return entry;
}

void publish(const std::filesystem::path& store_path, std::int64_t number, Timestamp now) {
  auto db = store::open(store_path.string());
  Incident incident;
  incident.number = number;
  incident.title = "internal";
  store::save_incident(db, incident);
  store::save_public_entry(db, number, entry_numbered(number, now));
}

}  // namespace

int main(int argc, char** argv) {
  bench::Arguments arguments(argc, argv, {});
  const double seconds = arguments.number("seconds", 10);
  const int connections = static_cast<int>(arguments.number("connections", 8));
  if (arguments.help || !arguments.leftover().empty() || connections < 1) {
    std::fprintf(stderr, "%s\nusage: status_page_bench [--seconds 10] [--connections 8]\n", arguments.leftover().c_str());
    return 2;
  }
  const auto folder = std::filesystem::temp_directory_path() / "incident-bot-status-page-bench";
  const unsigned short port = bench::free_port();
  const std::string config = "{\"store\": {\"path\": \"" + (folder / "bench.db").string() +
                             "\"}, \"http\": {\"listen\": \"127.0.0.1:" + std::to_string(port) +
                             "\"}, \"status_page\": {\"title\": \"Bench status\", \"components\": [\"Checkout\", \"Email\"]}}";
  bench::ChildBot bot(folder, config, {"SLACK_SIGNING_SECRET=bench-secret"});
  for (int tries = 0; tries < 500; ++tries) {
    try {
      asio::io_context io;
      asio::ip::tcp::socket probe(io);
      probe.connect({asio::ip::make_address("127.0.0.1"), port});
      break;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  const Timestamp now = bench::wall_seconds();
  for (std::int64_t number = 1; number <= 10; ++number) publish(bot.store_path(), number, now);

  // A publish by another process (as a second replica or the CLI would write it): when does the page show it?
  asio::io_context io;
  const auto visible_after = [&](const std::string& marker) {
    const auto start = steady::now();
    while (true) {
      asio::ip::tcp::socket socket(io);
      socket.connect({asio::ip::make_address("127.0.0.1"), port});
      http::request<http::empty_body> request{http::verb::get, "/api/v2/incidents.json", 11};
      request.set(http::field::host, "127.0.0.1");
      http::write(socket, request);
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      http::read(socket, buffer, response);
      if (response.body().find(marker) != std::string::npos) return bench::ms_between(start, steady::now());
      if (steady::now() - start > std::chrono::seconds(10)) return -1.0;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  };
  std::vector<double> visible;
  for (std::int64_t number = 11; number <= 15; ++number) {
    publish(bot.store_path(), number, now);
    visible.push_back(visible_after("bench" + std::to_string(1000000 + number)));
  }
  const bench::Percentiles shown(visible);
  std::printf("publish by another process visible on the page after: median %.0f ms, worst %.0f ms (%zu publishes)\n",
              shown.at(0.5), shown.max(), visible.size());

  for (const std::string target : {"/status", "/api/v2/summary.json"}) {
    const Load saturation = run_load(port, target, connections, seconds, 0, bot.pid());
    const Load half = run_load(port, target, connections, seconds, saturation.requests_per_second / 2, bot.pid());
    std::printf("GET %s (%zu bytes), %d keep-alive connections:\n", target.c_str(), saturation.bytes, connections);
    std::printf("  saturation: %.0f requests/s, p50 %.2f ms, p99 %.2f ms, bot CPU %.2f cores\n",
                saturation.requests_per_second, saturation.p50_ms, saturation.p99_ms, saturation.bot_cpu);
    std::printf("  half load:  %.0f requests/s, p50 %.2f ms, p99 %.2f ms, bot CPU %.2f cores\n", half.requests_per_second,
                half.p50_ms, half.p99_ms, half.bot_cpu);
  }
  std::printf("bot: %s\n", bot.stop().c_str());
  return 0;
}
