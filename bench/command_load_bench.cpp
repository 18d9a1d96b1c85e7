// Durable command throughput over HTTP: signed Slack slash commands over loopback against the real
// `incident-bot run`, started as a child process with a fresh store. One load-generator thread
// (Asio coroutines, N keep-alive HTTP/1.1 connections) so the bot keeps both its CPU and its core.
// Prints acks/s, ack latency, the bot's CPU per 1,000 commands and its memory, and checks that
// the store holds every acknowledged command.
#include "bench/load_support.hpp"
#include "bot/net/form.hpp"
#include "bot/slack/signature.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <deque>
#include <memory>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;
using bench::steady;

namespace {

constexpr const char* usage =
    "usage: command_load_bench [--verb note|declare] [--connections N] [--seconds S] [--rate R] [--half]\n"
    "  --verb         note: notes (every 10th an update) on INC-1, declared first; declare: a new incident each (note)\n"
    "  --connections  keep-alive HTTP/1.1 connections (64)\n"
    "  --seconds      the measured window, after 1 s of warm-up (10)\n"
    "  --rate         0: closed loop, each connection sends as soon as its last command is answered (saturation);\n"
    "                 R > 0: open loop, R commands/s in all, sent on schedule whether or not earlier ones were\n"
    "                 answered (pipelined), latency from the scheduled time (0)\n"
    "  --half         a closed-loop run to find saturation, then an open-loop run at half of it (fresh bot each)\n"
    "Starts " INCIDENT_BOT_BINARY " run as a child process with a fresh store under $TMPDIR.\n";

constexpr const char* signing_secret = "bench-signing-secret";
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// A slash command as Slack sends it: form body, signed v0 with this second's timestamp.
std::string signed_request(const std::string& text, const std::string& trigger, const std::string& host) {
  std::string body;
  for (const auto& [name, value] : bench::slash_command_fields(text, trigger)) {
    if (!body.empty()) body += '&';
    body += name + "=" + incident_bot::bot::percent_encode(value);
  }
  const std::string stamp = std::to_string(bench::wall_seconds());
  return "POST /slack/commands HTTP/1.1\r\nHost: " + host +
         "\r\nUser-Agent: Slackbot 1.0 (+https://api.slack.com/robots)\r\nAccept: application/json,*/*\r\n"
         "Content-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: " +
         stamp + "\r\nX-Slack-Signature: " + incident_bot::bot::slack_signature(signing_secret, stamp, body) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

struct Connection {
  explicit Connection(asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  beast::flat_buffer buffer;
  std::deque<steady::time_point> pending;  // open loop: scheduled times of the requests awaiting their response
  bool writer_done = false;
};

struct Load {
  Load(asio::io_context& io, bench::Verb verb, int connections, double rate, tcp::endpoint endpoint, bench::Phase& phase)
      : io(io), verb(verb), connections(connections), rate(rate), endpoint(endpoint),
        host("127.0.0.1:" + std::to_string(endpoint.port())), phase(phase), deadline(io) {}

  asio::io_context& io;
  bench::Verb verb;
  int connections;
  double rate;
  tcp::endpoint endpoint;
  std::string host;
  bench::Phase& phase;
  pid_t bot = -1;

  std::vector<std::unique_ptr<Connection>> open;
  steady::time_point start, measure_from, measure_until;
  std::int64_t next_sequence = 1;  // closed loop: the next command's number
  int running = 0;                 // connection coroutines still going
  asio::steady_timer deadline;     // the drain's end: whatever is still unanswered then counts as unanswered
  bench::CpuSample window_from;

  bool in_window(steady::time_point t) const { return t >= measure_from && t < measure_until; }

  // One response: `from` is when it was sent (closed loop) or scheduled (open loop).
  void record(steady::time_point from, steady::time_point done, unsigned status) {
    if (status != 200) {
      ++phase.non_200;
      return;
    }
    ++phase.acked_total;
    if (in_window(done)) {
      ++phase.acked_in_window;
      phase.count_ack(done - measure_from);
    }
    // Closed loop: the latency of what was answered in the window; open loop: of what was due in it.
    if (rate > 0 ? in_window(from) : in_window(done)) phase.latencies_ms.push_back(bench::ms_between(from, done));
  }

  void finished_one() {
    if (--running == 0) deadline.cancel();
  }
};

asio::awaitable<void> closed_client(Load& load, Connection& connection, int client) {
  while (steady::now() < load.measure_until) {
    const std::int64_t sequence = load.next_sequence++;
    const std::string request =
        signed_request(bench::command_text(load.verb, sequence, client), bench::trigger_id(sequence), load.host);
    const auto sent = steady::now();
    auto [write_error, written] = co_await asio::async_write(connection.socket, asio::buffer(request), use_tuple);
    if (write_error) { ++load.phase.connection_errors; ++load.phase.unanswered; break; }
    http::response<http::string_body> response;
    auto [read_error, read] = co_await http::async_read(connection.socket, connection.buffer, response, use_tuple);
    if (read_error) { ++load.phase.connection_errors; ++load.phase.unanswered; break; }
    load.record(sent, steady::now(), response.result_int());
    if (!response.keep_alive()) { ++load.phase.connection_errors; break; }
  }
  load.finished_one();
}

// Open loop: this connection's share of the schedule (every connections-th slot), written on time
// whether or not the answers came; a second coroutine reads the answers in order.
asio::awaitable<void> open_writer(Load& load, Connection& connection, int client) {
  asio::steady_timer timer(load.io);
  const double interval_ns = 1e9 / load.rate;
  for (std::int64_t slot = client;; slot += load.connections) {
    const auto scheduled = load.start + std::chrono::nanoseconds(static_cast<std::int64_t>(slot * interval_ns));
    if (scheduled >= load.measure_until) break;
    timer.expires_at(scheduled);
    co_await timer.async_wait(use_tuple);
    const std::int64_t sequence = slot + 1;
    const std::string request =
        signed_request(bench::command_text(load.verb, sequence, client), bench::trigger_id(sequence), load.host);
    if (load.in_window(scheduled)) load.phase.send_lag_ms.push_back(bench::ms_between(scheduled, steady::now()));
    connection.pending.push_back(scheduled);
    auto [write_error, written] = co_await asio::async_write(connection.socket, asio::buffer(request), use_tuple);
    if (write_error) { ++load.phase.connection_errors; break; }
  }
  connection.writer_done = true;
  boost::system::error_code ignored;
  if (connection.pending.empty()) connection.socket.close(ignored);  // the reader waits for nothing more
  load.finished_one();
}

asio::awaitable<void> open_reader(Load& load, Connection& connection) {
  while (!(connection.writer_done && connection.pending.empty())) {
    http::response<http::string_body> response;
    auto [read_error, read] = co_await http::async_read(connection.socket, connection.buffer, response, use_tuple);
    if (read_error) {
      if (!connection.pending.empty()) ++load.phase.connection_errors;
      break;
    }
    if (connection.pending.empty()) { ++load.phase.connection_errors; break; }  // an answer to nothing
    const auto scheduled = connection.pending.front();
    connection.pending.pop_front();
    load.record(scheduled, steady::now(), response.result_int());
    if (!response.keep_alive()) { ++load.phase.connection_errors; break; }
  }
  load.phase.unanswered += static_cast<long long>(connection.pending.size());
  connection.pending.clear();
  boost::system::error_code ignored;
  connection.socket.close(ignored);
  load.finished_one();
}

// CPU at the window's edges: the bot's from /proc, this process's from getrusage, the machine's from /proc/stat.
asio::awaitable<void> sample_window(Load& load) {
  asio::steady_timer timer(load.io);
  timer.expires_at(load.measure_from);
  co_await timer.async_wait(use_tuple);
  load.window_from = bench::CpuSample::take(load.bot);
  timer.expires_at(load.measure_until);
  co_await timer.async_wait(use_tuple);
  load.phase.measured(load.window_from, bench::CpuSample::take(load.bot));
}

asio::awaitable<void> drive(Load& load) {
  for (int c = 0; c < load.connections; ++c) {
    auto connection = std::make_unique<Connection>(load.io);
    auto [error] = co_await connection->socket.async_connect(load.endpoint, use_tuple);
    if (error) throw std::runtime_error("connect to the bot: " + error.message());
    connection->socket.set_option(tcp::no_delay(true));
    load.open.push_back(std::move(connection));
  }
  load.start = steady::now();
  load.measure_from = load.start + std::chrono::milliseconds(static_cast<long>(load.phase.warmup_seconds * 1000));
  load.measure_until = load.measure_from + std::chrono::milliseconds(static_cast<long>(load.phase.window_seconds * 1000));
  asio::co_spawn(load.io, sample_window(load), asio::detached);
  for (int c = 0; c < load.connections; ++c) {
    Connection& connection = *load.open[c];
    if (load.rate > 0) {
      load.running += 2;
      asio::co_spawn(load.io, open_writer(load, connection, c), asio::detached);
      asio::co_spawn(load.io, open_reader(load, connection), asio::detached);
    } else {
      load.running += 1;
      asio::co_spawn(load.io, closed_client(load, connection, c), asio::detached);
    }
  }
  // A bot that stops answering does not hang the bench: after the drain, every socket is closed.
  load.deadline.expires_at(load.measure_until + std::chrono::seconds(30));
  co_await load.deadline.async_wait(use_tuple);
  for (auto& connection : load.open) {
    boost::system::error_code ignored;
    connection->socket.close(ignored);
  }
}

// One blocking request before the load: INC-1 for the notes to address.
bool declare_setup(const tcp::endpoint& endpoint) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect(endpoint);
  const std::string request =
      signed_request(bench::setup_declare, "setup-declare", "127.0.0.1:" + std::to_string(endpoint.port()));
  asio::write(socket, asio::buffer(request));
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  return response.result() == http::status::ok && response.body().find("INC-1") != std::string::npos;
}

// Polls GET /healthz until the bot answers 200, or gives up when it exits or after 20 s.
bool wait_until_ready(bench::ChildBot& bot, const tcp::endpoint& endpoint) {
  const auto give_up = steady::now() + std::chrono::seconds(20);
  while (steady::now() < give_up && bot.running()) {
    try {
      asio::io_context io;
      tcp::socket socket(io);
      socket.connect(endpoint);
      const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
      asio::write(socket, asio::buffer(request));
      beast::flat_buffer buffer;
      http::response<http::string_body> response;
      http::read(socket, buffer, response);
      if (response.result() == http::status::ok) return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

bench::Phase run_phase(bench::Verb verb, int connections, double seconds, double rate) {
  bench::Phase phase;
  phase.transport = "HTTP";
  phase.concurrency = std::to_string(connections) + " connections";
  phase.offered_rate = rate;
  phase.window_seconds = seconds;

  const auto folder = std::filesystem::temp_directory_path() / ("incident-bot-command-load-" + std::to_string(getpid()));
  const unsigned short port = bench::free_port();
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  // No bot token: posts wait in the outbox; and should anything call out, it reaches a closed port.
  bench::ChildBot bot(folder,
                      bench::bot_config(folder / "bench.db", "127.0.0.1:" + std::to_string(port), "http://127.0.0.1:9/api"),
                      {std::string("SLACK_SIGNING_SECRET=") + signing_secret});
  phase.bot_pid = bot.pid();
  if (!wait_until_ready(bot, endpoint))
    throw std::runtime_error("the bot did not answer /healthz on port " + std::to_string(port) + " (" + bot.stop() +
                             "); its log:\n" + bot.log_tail());
  std::printf("\nbot pid %d listening on 127.0.0.1:%u, store %s\n", bot.pid(), port, bot.store_path().c_str());
  std::fflush(stdout);
  if (verb == bench::Verb::note && !declare_setup(endpoint))
    throw std::runtime_error("declaring INC-1 failed; the bot's log:\n" + bot.log_tail());

  asio::io_context io(1);
  Load load(io, verb, connections, rate, endpoint, phase);
  load.bot = bot.pid();
  std::exception_ptr failure;
  asio::co_spawn(io, drive(load), [&](std::exception_ptr escaped) { failure = escaped; });
  io.run();
  if (failure) std::rethrow_exception(failure);

  phase.memory = bench::process_memory(bot.pid());
  phase.bot_ended = bot.stop();
  phase.store = bench::check_store(bot.store_path(), verb);
  std::filesystem::remove_all(folder);
  return phase;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = bench::parse_load_options(argc, argv, "command_load_bench", "connections", usage);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const auto& options = std::get<bench::LoadOptions>(parsed);
  std::printf("command_load_bench: /incident %s over HTTP, store synchronous=FULL (WAL), bot %s\n", bench::verb_name(options.verb),
              INCIDENT_BOT_BINARY);
  return bench::run_load("command_load_bench", options,
                         [&](double rate) { return run_phase(options.verb, options.width, options.seconds, rate); });
}
