#include "bot/app/runtime.hpp"

#include "bot/core/channel_members.hpp"
#include "bot/core/dispatcher.hpp"
#include "bot/net/http_server.hpp"
#include "bot/app/policy.hpp"
#include "bot/net/http_client.hpp"
#include "bot/mattermost/translator.hpp"
#include "bot/app/process_identity.hpp"
#include "bot/core/delivery.hpp"
#include "bot/core/group_commit.hpp"
#include "bot/mattermost/command_receiver.hpp"
#include "bot/net/router.hpp"
#include "bot/net/url.hpp"
#include "bot/core/scheduler.hpp"
#include "bot/core/store_upkeep.hpp"
#include "bot/slack/translator.hpp"
#include "bot/slack/http_receiver.hpp"
#include "bot/app/templates_dir.hpp"
#include "bot/app/health.hpp"
#include "bot/status_page/status_site.hpp"
#include "store/store.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/beast/http/verb.hpp>

#include <sys/resource.h>

#include <charconv>
#include <cstdlib>
#include <optional>

namespace incident_bot::bot {

namespace http = boost::beast::http;

struct Runtime::Parts {
  Parts(Config config, Secrets secrets, std::shared_ptr<spdlog::logger> logger, Clock clock, RuntimeTuning tuning)
      : config(std::move(config)), secrets(std::move(secrets)), logger(std::move(logger)), clock(std::move(clock)),
        tuning(tuning), db(store::open(this->config.store.path)),
        commits(io.get_executor(), db,
                BatchLimits{static_cast<std::size_t>(this->config.store.batch_max_commands),
                            std::chrono::milliseconds(this->config.store.batch_max_wait_ms)},
                this->logger) {}

  void start_slack_outbound();
  void start_mattermost(const workflows::Policy& policy, std::shared_ptr<const templates::Library> library);
  void start_mattermost_api();
  void start_socket_mode(std::function<void(std::string)> on_fatal);
  // The chat's one profile, handed to its dispatcher, the scheduler and its delivery engine.
  std::shared_ptr<const ChatProfile> profile_for(PlatformTraits traits, workflows::Policy policy,
                                                 std::shared_ptr<const templates::Library> library,
                                                 ChatTranslator* translator);
  void start_delivery(const ChatProfile& profile, std::unique_ptr<DeliveryEngine>& engine);
  // Once per turn of the loop however many commands a batch committed.
  void posts_waiting() {
    if (wake_pending) return;
    wake_pending = true;
    boost::asio::post(io, [this] {
      wake_pending = false;
      if (scheduler) scheduler->rearm();
      if (slack_delivery) slack_delivery->wake();
      if (mattermost_delivery) mattermost_delivery->wake();
      if (status_site) status_site->refresh();  // a publish shows at once, not at the next tick
    });
  }
  DeliveryOptions delivery_options(std::string announce_channel) const;
  void start_http();
  bool has_chat() const { return slack_http || mattermost_http || socket_mode; }

  Config config;
  Secrets secrets;
  std::shared_ptr<spdlog::logger> logger;
  Clock clock;
  RuntimeTuning tuning;
  boost::asio::io_context io{1};
  store::Connection db;
  GroupCommit commits;
  bool wake_pending = false;
  std::unique_ptr<Scheduler> scheduler;
  std::unique_ptr<StoreUpkeep> upkeep;
  std::unique_ptr<BeastHttpClient> http_client;
  std::unique_ptr<SlackApi> slack_api;
  std::unique_ptr<SlackTranslator> slack_translator;
  std::unique_ptr<DeliveryEngine> slack_delivery;
  std::unique_ptr<Dispatcher> slack_dispatcher;
  std::unique_ptr<SlackInbound> slack_inbound;
  std::unique_ptr<SlackHttp> slack_http;
  std::unique_ptr<MattermostApi> mattermost_api;
  std::unique_ptr<MattermostTranslator> mattermost_translator;
  std::unique_ptr<DeliveryEngine> mattermost_delivery;
  std::unique_ptr<Dispatcher> mattermost_dispatcher;
  std::unique_ptr<MattermostHttp> mattermost_http;
  std::unique_ptr<ChannelMembers> slack_members;
  std::unique_ptr<ChannelMembers> mattermost_members;
  std::unique_ptr<SlackApi> socket_mode_api;
  std::unique_ptr<SocketMode> socket_mode;
  std::string worker = this_worker();
  int exit_status = 0;
  Router router;
  std::unique_ptr<HealthCheck> health;
  std::unique_ptr<StatusSite> status_site;
  std::unique_ptr<HttpServer> http_server;
  std::optional<boost::asio::signal_set> signals;
};

namespace {

// Descriptors the store, the delivery engine's calls and Socket Mode may need beside the HTTP connections.
constexpr std::size_t descriptors_kept_free = 64;

// INCIDENT_BOT_DELIVERY_PAUSE_MS: a test's chance to kill the process between a call and its record.
std::chrono::milliseconds delivery_pause_from_environment() {
  const char* pause = std::getenv("INCIDENT_BOT_DELIVERY_PAUSE_MS");
  if (!pause || !*pause) return std::chrono::milliseconds(0);
  long milliseconds = 0;
  const std::string_view text(pause);
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), milliseconds);
  return std::chrono::milliseconds(error == std::errc{} && end == text.data() + text.size() ? milliseconds : 0);
}

}  // namespace

DeliveryOptions Runtime::Parts::delivery_options(std::string announce_channel) const {
  DeliveryOptions options;
  options.announce_channel = std::move(announce_channel);
  options.give_up_after = config.outbox.give_up_after;
  options.worker = worker;
  options.clock = clock;
  options.worker_gone = worker_is_gone;
  options.pause_after_call = delivery_pause_from_environment();
  options.claim_for = tuning.claim_for;
  return options;
}

void Runtime::Parts::start_http() {
  health = std::make_unique<HealthCheck>(
      db, HealthOptions{config.outbox.stuck_after, clock, [this] { return scheduler && scheduler->failing(); }}, logger);
  router.add(http::verb::get, "/healthz", [this](const ServerRequest&) { return health->answer(); });
  const auto listen = parse_host_port(config.http.listen);
  if (!listen.ok()) throw std::runtime_error("http.listen: " + listen.problem + ", got '" + config.http.listen + "'");
  HttpServerOptions options;
  options.max_connections = static_cast<std::size_t>(config.http.max_connections);
  options.idle_timeout = std::chrono::seconds(config.http.idle_timeout);
  // Connections share the descriptor limit with the store and outgoing calls: a cap above it protects neither.
  rlimit descriptors{};
  if (::getrlimit(RLIMIT_NOFILE, &descriptors) == 0 && descriptors.rlim_cur != RLIM_INFINITY &&
      options.max_connections + descriptors_kept_free > descriptors.rlim_cur)
    logger->warn("http.max_connections ({}) leaves fewer than {} of the process's {} descriptors (ulimit -n) for the "
                 "store and outgoing calls",
                 options.max_connections, descriptors_kept_free, descriptors.rlim_cur);
  http_server = std::make_unique<HttpServer>(io, listen.endpoint, std::ref(router), logger, options);
  logger->info("listening for HTTP on {}:{}", listen.endpoint.address().to_string(), http_server->port());
  if (status_site) logger->info("status page: {}/status", status_page_url(config));
}

void Runtime::Parts::start_slack_outbound() {
  if (!secrets.slack_bot_token) {
    logger->warn("SLACK_BOT_TOKEN is not set: Slack posts wait in the outbox until it is");
    return;
  }
  if (!http_client) http_client = std::make_unique<BeastHttpClient>(io.get_executor(), TlsOptions{config.tls.ca_file});
  SlackApiOptions options;
  options.api_url = config.slack.api_url;
  options.token = *secrets.slack_bot_token;
  options.retry = tuning.slack_retry;
  // A longer Retry-After becomes the row's not-before time instead of holding up its channel.
  options.retry.max_retry_after = std::min(options.retry.max_retry_after, delivery_wait_in_call);
  slack_api = std::make_unique<SlackApi>(*http_client, std::move(options), logger);
  slack_translator = std::make_unique<SlackTranslator>(db, *slack_api, config.slack.incident_channels);
}

std::shared_ptr<const ChatProfile> Runtime::Parts::profile_for(PlatformTraits traits, workflows::Policy policy,
                                                               std::shared_ptr<const templates::Library> library,
                                                               ChatTranslator* translator) {
  auto profile = std::make_shared<const ChatProfile>(ChatProfile{std::move(traits), std::move(policy), std::move(library), translator});
  scheduler->use_profile(profile);
  return profile;
}

void Runtime::Parts::start_delivery(const ChatProfile& profile, std::unique_ptr<DeliveryEngine>& engine) {
  if (!profile.translator) return;
  engine = std::make_unique<DeliveryEngine>(io, db, *profile.translator, delivery_options(profile.policy.announce_channel),
                                            logger);
  engine->start();
}

// Mattermost: slash commands verified by their token; posts through REST API v4 with the bot token.
void Runtime::Parts::start_mattermost(const workflows::Policy& slack_policy,
                                      std::shared_ptr<const templates::Library> library) {
  workflows::Policy policy = slack_policy;
  policy.announce_channel = config.mattermost.announce_channel;
  if (secrets.mattermost_bot_token && !config.mattermost.url.empty()) start_mattermost_api();
  else logger->warn("MATTERMOST_BOT_TOKEN or mattermost.url is not set: Mattermost posts wait in the outbox until they are");
  const auto profile = profile_for(mattermost_platform(true), std::move(policy), std::move(library), mattermost_translator.get());
  mattermost_dispatcher = std::make_unique<Dispatcher>(db, profile, logger);
  start_delivery(*profile, mattermost_delivery);
  mattermost_members = std::make_unique<ChannelMembers>(io.get_executor(), db, mattermost_translator.get(), "mattermost",
                                                        clock, logger);
  MattermostHttpOptions options{*secrets.mattermost_command_token, clock, [this] { posts_waiting(); },
                                mattermost_members.get(), {}, config.mattermost.dialog_url};
  if (mattermost_api)
    options.open_dialog = [this](std::string trigger, std::string url, boost::json::object dialog) {
      boost::asio::co_spawn(
          io,
          [this, trigger = std::move(trigger), url = std::move(url), dialog = std::move(dialog)]() -> boost::asio::awaitable<void> {
            const auto opened = co_await mattermost_api->open_dialog(trigger, url, dialog);
            if (!opened.ok) logger->warn("opening the declare dialog failed: {}", opened.error);
          },
          boost::asio::detached);
    };
  mattermost_http = std::make_unique<MattermostHttp>(*mattermost_dispatcher, db, commits, std::move(options), logger);
  mattermost_http->add_routes(router);
}

void Runtime::Parts::start_mattermost_api() {
  if (!http_client) http_client = std::make_unique<BeastHttpClient>(io.get_executor(), TlsOptions{config.tls.ca_file});
  RetryPolicy retry = tuning.mattermost_retry;
  retry.max_retry_after = std::min(retry.max_retry_after, delivery_wait_in_call);
  mattermost_api = std::make_unique<MattermostApi>(
      *http_client, MattermostApiOptions{config.mattermost.url, *secrets.mattermost_bot_token, std::chrono::seconds(10), retry},
      logger);
  mattermost_translator = std::make_unique<MattermostTranslator>(db, *mattermost_api, config.mattermost.team_id);
}

void Runtime::Parts::start_socket_mode(std::function<void(std::string)> on_fatal) {
  if (!http_client) http_client = std::make_unique<BeastHttpClient>(io.get_executor(), TlsOptions{config.tls.ca_file});
  SlackApiOptions options;
  options.api_url = config.slack.api_url;  // the app token goes with each apps.connections.open call
  options.retry = tuning.slack_retry;
  options.retry.max_attempts = 1;  // Socket Mode paces its own attempts, with its own backoff
  // Socket Mode logs each apps.connections.open outcome itself, once, in its own words.
  auto quiet = logger->clone(logger->name());
  quiet->set_level(spdlog::level::off);
  socket_mode_api = std::make_unique<SlackApi>(*http_client, std::move(options), std::move(quiet));
  socket_mode = std::make_unique<SocketMode>(
      io, *socket_mode_api, *slack_inbound,
      SocketModeOptions{*secrets.slack_app_token, config.tls.ca_file, tuning.socket_mode}, logger, std::move(on_fatal));
}

Runtime::Runtime(Config config, Secrets secrets, std::shared_ptr<spdlog::logger> logger, Clock clock,
                 RuntimeTuning tuning)
    : parts_(std::make_unique<Parts>(std::move(config), std::move(secrets), std::move(logger), std::move(clock), tuning)) {
  Parts& p = *parts_;
  if (const auto insecure = check_transport(p.config)) throw std::runtime_error(insecure->describe());
  if (const auto keys = insecure_url_keys(p.config); !keys.empty()) {
    std::string named;
    for (const auto& key : keys) named += (named.empty() ? "" : " and ") + key;
    p.logger->warn("tls.allow_insecure_urls is set: the bot token goes in clear text to {}", named);
  }
  const workflows::Policy policy = policy_from(p.config);
  auto loaded = load_templates(p.config.templates.dir);
  if (const auto* error = std::get_if<templates::TemplateError>(&loaded))
    throw std::runtime_error("template error: " + error->describe());
  const auto library = std::get<std::shared_ptr<const templates::Library>>(std::move(loaded));
  p.scheduler = std::make_unique<Scheduler>(p.io, p.db, policy, p.clock, p.logger, scheduler_options_from_environment());
  p.scheduler->on_swept([&p] { p.posts_waiting(); });
  StoreUpkeepOptions upkeep_options;
  upkeep_options.keep_delivery_ids = p.config.store.keep_delivery_ids;
  upkeep_options.keep_delivered = p.config.store.keep_delivered;
  p.upkeep = std::make_unique<StoreUpkeep>(p.io, p.db, p.clock, p.logger, upkeep_options);
  if (p.secrets.slack_signing_secret || p.secrets.slack_app_token) {
    p.start_slack_outbound();
    const auto profile =
        p.profile_for(slack_platform(p.config.slack.incident_channels), policy, library, p.slack_translator.get());
    p.slack_dispatcher = std::make_unique<Dispatcher>(p.db, profile, p.logger);
    p.start_delivery(*profile, p.slack_delivery);
    p.slack_members = std::make_unique<ChannelMembers>(p.io.get_executor(), p.db, p.slack_translator.get(), "slack",
                                                       p.clock, p.logger);
    SlackInboundOptions options{p.clock, {}, [&p] { p.posts_waiting(); }, p.slack_members.get()};
    if (p.slack_api)
      options.open_view = [&p](std::string trigger, boost::json::object view) {
        boost::asio::co_spawn(
            p.io,
            [&p, trigger = std::move(trigger), view = std::move(view)]() -> boost::asio::awaitable<void> {
              const auto opened = co_await p.slack_api->open_view(trigger, view);
              if (!opened.ok) p.logger->warn("views.open failed: {}", opened.error);
            },
            boost::asio::detached);
      };
    p.slack_inbound = std::make_unique<SlackInbound>(*p.slack_dispatcher, p.db, p.commits, std::move(options), p.logger);
  }
  if (p.secrets.slack_signing_secret) {
    p.slack_http = std::make_unique<SlackHttp>(*p.slack_inbound, SlackHttpOptions{*p.secrets.slack_signing_secret, p.clock},
                                               p.logger);
    p.slack_http->add_routes(p.router);
  }
  if (p.secrets.mattermost_command_token) p.start_mattermost(policy, library);
  if (p.secrets.slack_app_token)
    p.start_socket_mode([this](const std::string&) {
      parts_->exit_status = 1;
      stop();
    });
  if (p.config.status_page.enabled && p.has_chat()) {
    p.status_site = std::make_unique<StatusSite>(p.io.get_executor(), p.db,
                                                 StatusSiteOptions{page_settings_from(p.config), p.clock}, p.logger);
    p.status_site->add_routes(p.router);
  }
  if (p.slack_http || p.mattermost_http || p.status_site) p.start_http();
}

Runtime::~Runtime() = default;

int Runtime::run() {
  Parts& p = *parts_;
  p.scheduler->rearm();
  p.upkeep->start();
  if (p.socket_mode) p.socket_mode->start();
  if (p.status_site) p.status_site->start();
  p.signals.emplace(p.io, SIGINT, SIGTERM);
  p.signals->async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    parts_->logger->info("signal {}: stopping", signal);
    stop();
  });
  p.io.run();
  return p.exit_status;
}

void Runtime::stop() {
  Parts& p = *parts_;
  boost::asio::post(p.io, [&p] {
    if (p.http_server) p.http_server->stop();
    if (p.status_site) p.status_site->stop();
    if (p.slack_delivery) p.slack_delivery->stop();
    if (p.mattermost_delivery) p.mattermost_delivery->stop();
    if (p.socket_mode) p.socket_mode->stop();
    p.scheduler->stop();
    p.upkeep->stop();
    if (p.signals) p.signals->cancel();
    p.io.stop();
  });
}

unsigned short Runtime::http_port() const { return parts_->http_server ? parts_->http_server->port() : 0; }
bool Runtime::has_adapter() const {
  return parts_->slack_http != nullptr || parts_->socket_mode != nullptr || parts_->mattermost_http != nullptr;
}
boost::asio::io_context& Runtime::io() { return parts_->io; }
SQLite::Database& Runtime::db() { return parts_->db; }

}  // namespace incident_bot::bot
