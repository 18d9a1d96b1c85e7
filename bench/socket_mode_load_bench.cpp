// Durable command throughput over Socket Mode: slash-command envelopes over a loopback WebSocket
// against the real `incident-bot run`, started as a child process with SLACK_APP_TOKEN and
// slack.api_url pointing at this program, which plays Slack (apps.connections.open, then the
// link). One thread, one link, as Slack has. Prints envelopes acked/s, ack latency, the bot's CPU
// per 1,000 envelopes and its memory, and checks that the store holds every acknowledged command.
#include "bench/load_support.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <charconv>
#include <memory>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace json = boost::json;
using asio::ip::tcp;
using bench::steady;

namespace {

constexpr const char* usage =
    "usage: socket_mode_load_bench [--verb note|declare] [--window N] [--seconds S] [--rate R] [--half]\n"
    "  --verb     note: notes (every 10th an update) on INC-1, declared first; declare: a new incident each (note)\n"
    "  --window   closed loop: at most N envelopes sent and not yet acknowledged (64)\n"
    "  --seconds  the measured window, after 1 s of warm-up (10)\n"
    "  --rate     0: closed loop, the window kept full (saturation); R > 0: open loop, R envelopes/s sent on\n"
    "             schedule whether or not earlier ones were acked (no window), latency from the scheduled time (0)\n"
    "  --half     a closed-loop run to find saturation, then an open-loop run at half of it (fresh bot each)\n"
    "Starts " INCIDENT_BOT_BINARY " run as a child process with a fresh store under $TMPDIR.\n";

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
using Link = websocket::stream<beast::tcp_stream>;

// A slash-command envelope as Slack sends it over Socket Mode: the form fields as a JSON payload.
std::string envelope(const std::string& id, const std::string& text, const std::string& trigger) {
  json::object payload;
  for (const auto& [name, value] : bench::slash_command_fields(text, trigger)) payload[name] = value;
  return json::serialize(json::object{{"envelope_id", id},
                                      {"payload", std::move(payload)},
                                      {"type", "slash_commands"},
                                      {"accepts_response_payload", true}});
}

// The envelope id an ack names, found without parsing the whole reply: {"envelope_id":"…",…}.
std::string_view acked_id(std::string_view ack) {
  constexpr std::string_view key = R"("envelope_id":")";
  const auto at = ack.find(key);
  if (at == std::string_view::npos) return {};
  const auto from = at + key.size();
  const auto end = ack.find('"', from);
  return end == std::string_view::npos ? std::string_view{} : ack.substr(from, end - from);
}

struct Load {
  Load(asio::io_context& io, bench::Verb verb, int window, double rate, bench::Phase& phase)
      : io(io), verb(verb), window(window), rate(rate), phase(phase), room(io), deadline(io), dial_timeout(io) {}

  asio::io_context& io;
  bench::Verb verb;
  int window;
  double rate;
  bench::Phase& phase;
  pid_t bot = -1;

  std::unique_ptr<Link> link;
  steady::time_point start, measure_from, measure_until;
  std::vector<steady::time_point> sent;  // by sequence - 1: when envelope bench-<sequence> was sent (or due)
  std::vector<bool> answered;
  int in_flight = 0;
  bool sender_done = false;
  bool reader_done = false;
  int reconnects = 0;
  asio::steady_timer room;      // cancelled when an ack frees a slot in the window
  asio::steady_timer deadline;  // the drain's end
  asio::steady_timer dial_timeout;  // the bot has this long to open its link
  bench::CpuSample window_from;

  bool in_window(steady::time_point t) const { return t >= measure_from && t < measure_until; }
  void close_link() {
    boost::system::error_code ignored;
    if (link) beast::get_lowest_layer(*link).socket().close(ignored);
  }
};

asio::awaitable<void> send_envelopes(Load& load) {
  asio::steady_timer pace(load.io);
  const double interval_ns = load.rate > 0 ? 1e9 / load.rate : 0;
  for (std::int64_t sequence = 1;; ++sequence) {
    steady::time_point due;
    if (load.rate > 0) {
      due = load.start + std::chrono::nanoseconds(static_cast<std::int64_t>((sequence - 1) * interval_ns));
      if (due >= load.measure_until) break;
      pace.expires_at(due);
      co_await pace.async_wait(use_tuple);
      if (load.in_window(due)) load.phase.send_lag_ms.push_back(bench::ms_between(due, steady::now()));
    } else {
      while (load.in_flight >= load.window && !load.reader_done) {
        load.room.expires_at(steady::time_point::max());
        co_await load.room.async_wait(use_tuple);
      }
      due = steady::now();
      if (due >= load.measure_until || load.reader_done) break;
    }
    const std::string message = envelope("bench-" + std::to_string(sequence),
                                         bench::command_text(load.verb, sequence, 0), bench::trigger_id(sequence));
    load.sent.push_back(load.rate > 0 ? due : steady::now());
    load.answered.push_back(false);
    ++load.in_flight;
    auto [error, written] = co_await load.link->async_write(asio::buffer(message), use_tuple);
    if (error) { ++load.phase.connection_errors; break; }
  }
  load.sender_done = true;
  if (load.in_flight == 0) load.close_link();
}

asio::awaitable<void> read_acks(Load& load) {
  beast::flat_buffer buffer;
  while (!(load.sender_done && load.in_flight == 0)) {
    buffer.clear();
    auto [error, read] = co_await load.link->async_read(buffer, use_tuple);
    if (error) {
      if (load.in_flight > 0) ++load.phase.connection_errors;
      break;
    }
    const auto now = steady::now();
    const std::string ack = beast::buffers_to_string(buffer.data());
    const std::string_view id = acked_id(ack);
    std::int64_t sequence = 0;
    if (!id.starts_with("bench-")) continue;
    const auto digits = id.substr(6);
    std::from_chars(digits.data(), digits.data() + digits.size(), sequence);
    if (sequence < 1 || sequence > static_cast<std::int64_t>(load.sent.size()) || load.answered[sequence - 1]) continue;
    load.answered[sequence - 1] = true;
    --load.in_flight;
    load.room.cancel();
    // The bot could not record it: the person would be asked to run it again.
    if (ack.find("please run it again") != std::string::npos) { ++load.phase.non_200; continue; }
    const auto from = load.sent[sequence - 1];
    ++load.phase.acked_total;
    if (load.in_window(now)) {
      ++load.phase.acked_in_window;
      load.phase.count_ack(now - load.measure_from);
    }
    if (load.rate > 0 ? load.in_window(from) : load.in_window(now))
      load.phase.latencies_ms.push_back(bench::ms_between(from, now));
  }
  load.phase.unanswered += load.in_flight;
  load.reader_done = true;
  load.room.cancel();
  load.deadline.cancel();
}

asio::awaitable<void> sample_window(Load& load) {
  asio::steady_timer timer(load.io);
  timer.expires_at(load.measure_from);
  co_await timer.async_wait(use_tuple);
  load.window_from = bench::CpuSample::take(load.bot);
  timer.expires_at(load.measure_until);
  co_await timer.async_wait(use_tuple);
  load.phase.measured(load.window_from, bench::CpuSample::take(load.bot));
}

// Connections after the first link: apps.connections.open answered, a second link counted and closed.
asio::awaitable<void> accept_later(Load& load, tcp::acceptor& acceptor) {
  for (;;) {
    auto [error, socket] = co_await acceptor.async_accept(use_tuple);
    if (error) co_return;
    ++load.reconnects;
    boost::system::error_code ignored;
    socket.close(ignored);
  }
}

// Plays Slack on one port: apps.connections.open over HTTP, then the WebSocket it points at.
asio::awaitable<void> drive(Load& load, tcp::acceptor& acceptor) {
  const auto port = acceptor.local_endpoint().port();
  for (;;) {
    beast::tcp_stream stream(co_await acceptor.async_accept(asio::use_awaitable));
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request, asio::use_awaitable);
    if (websocket::is_upgrade(request)) {
      load.link = std::make_unique<Link>(std::move(stream));
      co_await load.link->async_accept(request, asio::use_awaitable);
      load.dial_timeout.cancel();
      break;
    }
    http::response<http::string_body> response{http::status::ok, 11};
    response.set(http::field::content_type, "application/json");
    response.body() = R"({"ok":true,"url":"ws://127.0.0.1:)" + std::to_string(port) + R"(/link/?ticket=bench"})";
    response.keep_alive(false);
    response.prepare_payload();
    co_await http::async_write(stream, response, asio::use_awaitable);
  }
  asio::co_spawn(load.io, accept_later(load, acceptor), asio::detached);
  Link& link = *load.link;
  link.text(true);
  const std::string hello = R"({"type":"hello","num_connections":1,"debug_info":{"approximate_connection_time":18060}})";
  co_await link.async_write(asio::buffer(hello), asio::use_awaitable);

  if (load.verb == bench::Verb::note) {  // INC-1 for the notes to address, acked before the load starts
    const std::string setup = envelope("setup-declare", bench::setup_declare, "setup-declare");
    co_await link.async_write(asio::buffer(setup), asio::use_awaitable);
    beast::flat_buffer buffer;
    for (;;) {
      buffer.clear();
      co_await link.async_read(buffer, asio::use_awaitable);
      const std::string ack = beast::buffers_to_string(buffer.data());
      if (acked_id(ack) != "setup-declare") continue;
      if (ack.find("INC-1") == std::string::npos) throw std::runtime_error("declaring INC-1 failed: " + ack);
      break;
    }
  }

  load.start = steady::now();
  load.measure_from = load.start + std::chrono::milliseconds(static_cast<long>(load.phase.warmup_seconds * 1000));
  load.measure_until = load.measure_from + std::chrono::milliseconds(static_cast<long>(load.phase.window_seconds * 1000));
  asio::co_spawn(load.io, sample_window(load), asio::detached);
  asio::co_spawn(load.io, send_envelopes(load), asio::detached);
  asio::co_spawn(load.io, read_acks(load), asio::detached);
  load.deadline.expires_at(load.measure_until + std::chrono::seconds(30));
  co_await load.deadline.async_wait(use_tuple);
  load.room.cancel();
  load.close_link();
  boost::system::error_code ignored;
  acceptor.close(ignored);
}

bench::Phase run_phase(bench::Verb verb, int window, double seconds, double rate) {
  bench::Phase phase;
  phase.transport = "Socket Mode";
  phase.concurrency = rate > 0 ? "1 link" : "1 link, window " + std::to_string(window);
  phase.failure_label = "refused acks";
  phase.offered_rate = rate;
  phase.window_seconds = seconds;

  asio::io_context io(1);
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = acceptor.local_endpoint().port();
  const auto folder = std::filesystem::temp_directory_path() / ("incident-bot-socket-load-" + std::to_string(getpid()));
  // Only the app token: no HTTP receiver, and no bot token, so posts wait in the outbox.
  bench::ChildBot bot(folder,
                      bench::bot_config(folder / "bench.db", "127.0.0.1:0", "http://127.0.0.1:" + std::to_string(port) + "/api"),
                      {"SLACK_APP_TOKEN=xapp-bench"});
  phase.bot_pid = bot.pid();
  std::printf("\nbot pid %d dialling this program on 127.0.0.1:%u, store %s\n", bot.pid(), port, bot.store_path().c_str());
  std::fflush(stdout);

  Load load(io, verb, window, rate, phase);
  load.bot = bot.pid();
  std::exception_ptr failure;
  asio::co_spawn(io, drive(load, acceptor), [&](std::exception_ptr escaped) {
    if (escaped && !failure) failure = escaped;
  });
  // A bot that never dials in does not hang the bench.
  load.dial_timeout.expires_after(std::chrono::seconds(20));
  load.dial_timeout.async_wait([&](const boost::system::error_code& ec) {
    if (ec) return;
    if (!failure) failure = std::make_exception_ptr(std::runtime_error("the bot did not open a Socket Mode link within 20 s"));
    boost::system::error_code ignored;
    acceptor.close(ignored);
  });
  io.run();
  if (failure) {
    const std::string ended = bot.stop();
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      throw std::runtime_error(std::string(error.what()) + " (bot " + ended + "); its log:\n" + bot.log_tail());
    }
  }

  phase.memory = bench::process_memory(bot.pid());
  phase.bot_ended = bot.stop();
  phase.store = bench::check_store(bot.store_path(), verb);
  if (load.reconnects > 0) std::printf("note: the bot dialled %d more times during the run\n", load.reconnects);
  std::filesystem::remove_all(folder);
  return phase;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = bench::parse_load_options(argc, argv, "socket_mode_load_bench", "window", usage);
  if (const int* exit_code = std::get_if<int>(&parsed)) return *exit_code;
  const auto& options = std::get<bench::LoadOptions>(parsed);
  std::printf("socket_mode_load_bench: /incident %s over Socket Mode, store synchronous=FULL (WAL), bot %s\n", bench::verb_name(options.verb),
              INCIDENT_BOT_BINARY);
  return bench::run_load("socket_mode_load_bench", options,
                         [&](double rate) { return run_phase(options.verb, options.width, options.seconds, rate); });
}
