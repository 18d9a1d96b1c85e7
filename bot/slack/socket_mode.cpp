#include "bot/slack/socket_mode.hpp"

#include "bot/net/tls_client.hpp"
#include "bot/slack/socket_mode_protocol.hpp"
#include "bot/net/websocket_link.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <map>
#include <random>

namespace incident_bot::bot {

namespace asio = boost::asio;
namespace json = boost::json;
using std::chrono::milliseconds;

namespace {

// A payload's field as a string; Socket Mode carries the slash command's form fields as JSON.
std::string text_of(const json::object& payload, std::string_view key) {
  const auto* value = payload.if_contains(key);
  return value && value->is_string() ? std::string(value->as_string()) : std::string();
}

// The ephemeral answer to a slash command that failed before it was recorded.
json::object run_again_reply() {
  return {{"response_type", "ephemeral"}, {"text", "could not record this command — please run it again"}};
}

}  // namespace

void answer_envelope(SlackInbound& inbound, const SocketEnvelope& envelope, AnswerInbound answer) {
  const auto& payload = envelope.payload;
  if (envelope.type == "slash_commands")
    return inbound.command({text_of(payload, "channel_id"), text_of(payload, "user_id"), text_of(payload, "text"),
                            text_of(payload, "trigger_id")},
                           std::move(answer));
  if (envelope.type == "interactive") return inbound.interaction(payload, std::move(answer));
  if (envelope.type == "events_api") return inbound.event(payload, std::move(answer));
  answer(InboundAnswer::nothing());
}

// Every strand here runs on the runtime's one io thread, so this state needs no lock.
struct SocketMode::State : std::enable_shared_from_this<State> {
  struct Connection {
    std::shared_ptr<WebSocketLink> link;
    bool hello = false;
    bool retiring = false;  // Slack asked for a refresh: closed once a newer connection says hello
  };

  State(asio::io_context& io, SlackApi& api, SlackInbound& inbound, SocketModeOptions options,
        std::shared_ptr<spdlog::logger> logger, std::function<void(std::string)> on_fatal)
      : io(io), api(api), inbound(inbound), options(std::move(options)), logger(std::move(logger)),
        on_fatal(std::move(on_fatal)), backoff_timer(io) {
    configure_client_tls(tls, this->options.ca_file);
  }

  void ensure_connection(bool wait_first);
  asio::awaitable<void> establish(bool wait_first);
  asio::awaitable<void> expect_hello(int number);
  void on_message(int number, const std::string& text);
  void on_envelope(Connection& connection, const SocketEnvelope& envelope);
  void on_failed(WebSocketLink& link, const std::string& envelope_id, const std::string& type, bool with_payload,
                 const std::string& error);
  void on_closed(int number, const std::string& why);
  void fail(const std::string& line);
  void stop();
  void spawn(asio::awaitable<void> work);

  asio::io_context& io;
  SlackApi& api;
  SlackInbound& inbound;
  SocketModeOptions options;
  std::shared_ptr<spdlog::logger> logger;
  std::function<void(std::string)> on_fatal;
  asio::ssl::context tls{asio::ssl::context::tls_client};
  asio::steady_timer backoff_timer;
  std::map<int, Connection> connections;
  int next_number = 1;
  bool establishing = false;  // a connection is being opened, or is open and waits for its hello
  int failures = 0;           // attempts since the last hello
  bool stopped = false;
  AckedEnvelopes acked;
  std::minstd_rand jitter{std::random_device{}()};
};

void SocketMode::State::spawn(asio::awaitable<void> work) {
  asio::co_spawn(io, std::move(work), [logger = logger](std::exception_ptr failure) {
    if (!failure) return;
    try {
      std::rethrow_exception(failure);
    } catch (const std::exception& error) {
      logger->error("Socket Mode: {}", error.what());
    }
  });
}

// One connection serves while it is healthy; otherwise one is on its way.
void SocketMode::State::ensure_connection(bool wait_first) {
  if (stopped || establishing) return;
  for (const auto& [number, connection] : connections)
    if (connection.hello && !connection.retiring) return;
  establishing = true;
  spawn(establish(wait_first));
}

asio::awaitable<void> SocketMode::State::establish(bool wait_first) {
  auto self = shared_from_this();
  milliseconds wait{0};
  if (wait_first) wait = reconnect_delay(++failures, options.tuning.backoff_base, options.tuning.backoff_cap,
                                         std::uniform_real_distribution<double>(0, 1)(jitter));
  for (;;) {
    if (wait > milliseconds(0)) {
      logger->info("Socket Mode: reconnecting in {} ms", wait.count());
      backoff_timer.expires_after(wait);
      boost::system::error_code ec;
      co_await backoff_timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (stopped) break;
    wait = reconnect_delay(++failures, options.tuning.backoff_base, options.tuning.backoff_cap,
                           std::uniform_real_distribution<double>(0, 1)(jitter));
    const auto opened = co_await api.apps_connections_open(options.app_token);
    if (stopped) break;
    if (!opened.ok()) {
      if (opened.result.disposition == Disposition::fatal_auth) {
        fail("Socket Mode: apps.connections.open refused SLACK_APP_TOKEN (" + opened.result.error +
             "); the bot stops: use an app-level token (xapp-…) with connections:write");
        co_return;
      }
      if (opened.result.disposition == Disposition::rate_limited) {
        wait = std::max(wait, milliseconds(opened.result.retry_after));
        logger->info("Socket Mode: apps.connections.open is rate limited; waiting {} s",
                     std::chrono::ceil<std::chrono::seconds>(wait).count());
      } else {
        logger->warn("Socket Mode: apps.connections.open failed: {}", opened.result.error);
      }
      continue;
    }
    const auto shown = loggable_url(opened.value);
    const auto url = parse_url(opened.value);
    if (!url || (url->scheme != "ws" && url->scheme != "wss")) {
      logger->warn("Socket Mode: apps.connections.open answered {}, not a ws:// or wss:// URL", shown);
      continue;
    }
    logger->info("Socket Mode: connecting to {}", shown);
    WebSocketLinkOptions link_options{options.tuning.connect_timeout, options.tuning.ping_interval,
                                      options.tuning.silence_timeout};
    auto [link, ec] = co_await open_websocket(io, tls, *url, link_options);
    if (stopped) {
      if (link) link->drop();
      break;
    }
    if (ec) {
      logger->warn("Socket Mode: connecting to {} failed: {}", shown, ec.message());
      continue;
    }
    const int number = next_number++;
    logger->info("Socket Mode: connection {} open to {}", number, shown);
    connections[number] = Connection{link};
    std::weak_ptr<State> weak = self;
    link->start({[weak, number](std::string text) {
                   if (auto state = weak.lock()) state->on_message(number, text);
                 },
                 [weak, number](std::string why) {
                   if (auto state = weak.lock()) state->on_closed(number, why);
                 }});
    spawn(expect_hello(number));
    co_return;  // still establishing until this connection's hello, or its end
  }
  establishing = false;
}

asio::awaitable<void> SocketMode::State::expect_hello(int number) {
  auto self = shared_from_this();
  asio::steady_timer timer(io, options.tuning.hello_timeout);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  const auto found = connections.find(number);
  if (stopped || found == connections.end() || found->second.hello) co_return;
  logger->warn("Socket Mode: connection {} sent no hello within {} ms; dropping it", number,
               options.tuning.hello_timeout.count());
  found->second.link->drop();
}

void SocketMode::State::on_message(int number, const std::string& text) {
  const auto found = connections.find(number);
  if (stopped || found == connections.end()) return;
  auto& connection = found->second;
  const auto message = parse_socket_message(text);
  if (const auto* envelope = std::get_if<SocketEnvelope>(&message)) {
    on_envelope(connection, *envelope);
  } else if (const auto* hello = std::get_if<SocketHello>(&message)) {
    logger->info("Socket Mode: hello on connection {} ({} connection{} open)", number, hello->num_connections,
                 hello->num_connections == 1 ? "" : "s");
    if (!connection.hello) establishing = false;
    connection.hello = true;
    failures = 0;
    for (auto& [other, older] : connections)
      if (other != number && older.retiring) {
        logger->info("Socket Mode: closing connection {}, replaced by connection {}", other, number);
        older.link->close();
      }
  } else if (const auto* disconnect = std::get_if<SocketDisconnect>(&message)) {
    const auto& reason = disconnect->reason;
    logger->info("Socket Mode: disconnect on connection {} ({})", number, reason.empty() ? "no reason" : reason);
    if (disconnect_action(reason) == DisconnectAction::stop) {
      fail("Socket Mode: Slack disabled the link (disconnect: " + reason +
           "); the bot stops: turn Socket Mode on in the app's settings");
      return;
    }
    connection.retiring = true;  // it keeps serving until its replacement says hello
    ensure_connection(false);
  } else {
    logger->debug("Socket Mode: ignored {} on connection {}", std::get<SocketOther>(message).description, number);
  }
}

void SocketMode::State::on_envelope(Connection& connection, const SocketEnvelope& envelope) {
  if (const auto* ack = acked.find(envelope.envelope_id)) {
    logger->debug("Socket Mode: envelope {} redelivered; acked again", envelope.envelope_id);
    connection.link->send(*ack);
    return;
  }
  // Acked on the link that brought it, once the command is durable; a link closed meanwhile loses the ack,
  // and Slack's redelivery is answered from the store's delivery ids.
  std::weak_ptr<State> weak = shared_from_this();
  const std::shared_ptr<WebSocketLink> link = connection.link;
  auto acknowledge = [weak, link, envelope_id = envelope.envelope_id, type = envelope.type,
                      with_payload = envelope.accepts_response_payload](InboundAnswer answer) {
    const auto self = weak.lock();
    if (!self) return;
    if (answer.kind == InboundAnswer::Kind::failed) return self->on_failed(*link, envelope_id, type, with_payload, answer.problem);
    if (answer.kind == InboundAnswer::Kind::malformed)
      self->logger->warn("Socket Mode: {} envelope {}: {}", type, envelope_id, answer.problem);
    const bool carries = answer.kind == InboundAnswer::Kind::body && with_payload;
    std::string ack = socket_ack(envelope_id, carries ? &answer.body : nullptr);
    self->acked.remember(envelope_id, ack);
    link->send(std::move(ack));
  };
  try {
    answer_envelope(inbound, envelope, std::move(acknowledge));
  } catch (const std::exception& error) {
    on_failed(*link, envelope.envelope_id, envelope.type, envelope.accepts_response_payload, error.what());
  }
}

void SocketMode::State::on_failed(WebSocketLink& link, const std::string& envelope_id, const std::string& type,
                                  bool with_payload, const std::string& error) {
  // Never remembered as acked: whatever comes again for this envelope is tried again.
  if (type != "slash_commands") {
    // Left unacked, Slack delivers it again; the store's delivery-id dedupe keeps it once.
    logger->error("Socket Mode: {} envelope {} failed: {}; not acked, so Slack delivers it again", type, envelope_id,
                  error);
    return;
  }
  // Slack never delivers a slash command twice: the person is asked to run it again.
  logger->error("Socket Mode: {} envelope {} failed: {}; asked to run it again", type, envelope_id, error);
  const auto reply = run_again_reply();
  link.send(socket_ack(envelope_id, with_payload ? &reply : nullptr));
}

void SocketMode::State::on_closed(int number, const std::string& why) {
  const auto found = connections.find(number);
  if (found == connections.end()) return;
  const bool had_hello = found->second.hello;
  connections.erase(found);
  if (stopped) return;
  logger->info("Socket Mode: connection {} closed: {}", number, why);
  if (!had_hello) establishing = false;  // it was the one on its way
  ensure_connection(true);
}

void SocketMode::State::fail(const std::string& line) {
  if (stopped) return;
  logger->error("{}", line);
  stop();
  if (on_fatal) on_fatal(line);
}

void SocketMode::State::stop() {
  stopped = true;
  backoff_timer.cancel();
  for (auto& [number, connection] : connections) connection.link->close();
}

SocketMode::SocketMode(asio::io_context& io, SlackApi& api, SlackInbound& inbound, SocketModeOptions options,
                       std::shared_ptr<spdlog::logger> logger, std::function<void(std::string)> on_fatal)
    : state_(std::make_shared<State>(io, api, inbound, std::move(options), std::move(logger), std::move(on_fatal))) {}

SocketMode::~SocketMode() = default;

void SocketMode::start() {
  asio::post(state_->io, [state = state_] { state->ensure_connection(false); });
}

void SocketMode::stop() { state_->stop(); }

}  // namespace incident_bot::bot
