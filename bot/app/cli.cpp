#include "bot/app/cli.hpp"

#include "bot/app/wall_clock.hpp"
#include "bot/app/config.hpp"
#include "bot/app/export_command.hpp"
#include "bot/app/outbox_command.hpp"
#include "bot/app/status_page_command.hpp"
#include "bot/console/console.hpp"
#include "bot/console/console_loop.hpp"
#include "bot/app/policy.hpp"
#include "bot/app/runtime.hpp"
#include "bot/core/scheduler.hpp"
#include "bot/app/secrets.hpp"
#include "bot/app/templates_dir.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"

#include <spdlog/cfg/env.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

namespace incident_bot::bot {

namespace {

constexpr const char* default_config_path = "config/incident-bot.json";

std::shared_ptr<spdlog::logger> make_logger(spdlog::level::level_enum level) {
  auto logger = spdlog::get("incident-bot");
  if (!logger) logger = spdlog::stderr_color_mt("incident-bot");
  logger->set_level(level);
  spdlog::cfg::load_env_levels();  // SPDLOG_LEVEL=debug, or incident-bot=info, overrides
  return logger;
}

// The default file is optional (built-in defaults apply); a file named with --config must exist.
std::variant<Config, ConfigError> load(const CliOptions& options) {
  if (options.config) return load_config(*options.config);
  if (!std::filesystem::exists(default_config_path)) return Config{};
  return load_config(default_config_path);
}

int check_config(const CliOptions& options, std::ostream& out, std::ostream& err) {
  const auto loaded = load(options);
  if (const auto* error = std::get_if<ConfigError>(&loaded)) {
    err << "config error: " << error->describe() << '\n';
    return 1;
  }
  const auto& config = std::get<Config>(loaded);
  out << "config ok: " << options.config.value_or(default_config_path) << "\nstore: " << config.store.path
      << "\ncadence: " << format_duration(config.cadence.default_every) << " by default";
  for (const auto& [severity, every] : config.cadence.by_severity)
    out << ", " << severity_name(severity) << " " << format_duration(every);
  out << "\nadapters with credentials:";
  bool any = false;
  for (const char* name : {"SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "MATTERMOST_COMMAND_TOKEN"})
    if (secret(name)) { out << ' ' << name; any = true; }
  out << (any ? "" : " none (the console needs none)") << '\n';
  if (config.status_page.enabled)
    out << "status page: " << status_page_url(config) << "/status, " << config.status_page.components.size()
        << " component(s)\n";
  else
    out << "status page: off\n";
  const auto library = load_templates(config.templates.dir);
  if (const auto* error = std::get_if<templates::TemplateError>(&library)) {
    err << "template error: " << error->describe() << '\n';
    return 1;
  }
  const auto& overridden = std::get<0>(library)->overridden();
  out << "templates: " << (overridden.empty() ? "built-in" : std::to_string(overridden.size()) + " from " + config.templates.dir + ":");
  for (const auto& file : overridden) out << ' ' << file;
  out << '\n';
  return 0;
}

using Templates = std::shared_ptr<const templates::Library>;

int console(const CliOptions& options, const Config& config, const Templates& library, std::istream& in,
            std::ostream& out) {
  auto logger = make_logger(spdlog::level::warn);
  auto db = store::open(config.store.path);
  const auto policy = policy_from(config);
  Dispatcher dispatcher(db, policy, PlatformTraits{}, logger, library);
  ConsoleOptions console_options;
  if (options.as_user) console_options.user = *options.as_user;
  else if (const char* user = std::getenv("USER"); user && *user) console_options.user = user;
  const bool interactive = &in == &std::cin && isatty(STDIN_FILENO);
  console_options.echo = !interactive;
  if (interactive)
    out << "incident-bot console — store " << config.store.path << ". You are @" << console_options.user
        << " in #" << console_options.channel << ".\nType /incident help, /as <user>, /in #<channel>; Ctrl-D ends.\n";
  Console session(db, dispatcher, console_options, [] { return now_utc(); });
  boost::asio::io_context io;
  Scheduler scheduler(io, db, policy, [] { return now_utc(); }, logger, scheduler_options_from_environment());
  scheduler.use_profile(dispatcher.profile());  // reminders render with the same templates as replies
  // The status page beside the console, so a newcomer sees what `publish` does at once.
  const auto page = serve_status_page(io, db, config, logger);
  if (page && interactive) out << "Status page: " << page->url() << "\n";
  return run_console(io, session, scheduler, in, out, [&page] {
    if (page) page->stop();
  });
}

int run(const Config& config, std::ostream& err) {
  auto logger = make_logger(spdlog::level::info);
  Runtime runtime(config, Secrets::from_environment(), logger, [] { return now_utc(); });
  if (!runtime.has_adapter()) {
    err << "run: no chat adapter has credentials. Set SLACK_SIGNING_SECRET (Slack over HTTP), SLACK_APP_TOKEN "
           "(Socket Mode) or MATTERMOST_COMMAND_TOKEN, or use `incident-bot console`.\n";
    return 2;
  }
  return runtime.run();
}

}  // namespace

std::string usage_text() {
  return "usage: incident-bot <command> [options]\n\n"
         "  console [--config FILE] [--as USER]   drive incidents from a terminal or a pipe\n"
         "  run [--config FILE]                   serve every chat adapter whose credentials are set\n"
         "  check-config [--config FILE]          validate the configuration and exit\n"
         "  export INC-N --format md [--postmortem] [--config FILE]\n"
         "                                        print an incident as Markdown; --postmortem: its postmortem\n"
         "                                        draft, once it is resolved\n"
         "  outbox list [--failed] [--config FILE]    posts not yet delivered, with their last error\n"
         "  outbox retry <id|--all-failed>          make failed posts due again\n"
         "  outbox drop <id> <reason>               give one waiting post up\n"
         "  status-page --out DIR [--config FILE]   write the public status page as static files\n"
         "  --help, --version\n\n"
         "The configuration defaults to config/incident-bot.json; secrets come from the environment.\n";
}

std::variant<CliOptions, CliError> parse_cli(const std::vector<std::string>& arguments) {
  CliOptions options;
  if (arguments.empty()) return CliError{"a command is required"};
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    const auto value = [&](const char* flag) -> std::optional<std::string> {
      if (i + 1 >= arguments.size()) return std::nullopt;
      (void)flag;
      return arguments[++i];
    };
    if (options.verb == "outbox" && argument != "--config") {
      options.outbox_words.push_back(argument);  // its own words, checked by parse_outbox_command
      continue;
    }
    if (argument == "--help" || argument == "-h") { options.verb = "help"; return options; }
    if (argument == "--postmortem") {
      options.postmortem = true;
      continue;
    }
    if (argument == "--version") { options.verb = "version"; return options; }
    if (argument == "--config" || argument == "--as" || argument == "--format" || argument == "--out") {
      auto given = value(argument.c_str());
      if (!given) return CliError{argument + " needs a value"};
      if (argument == "--config") options.config = *given;
      else if (argument == "--out") options.out_dir = *given;
      else if (argument == "--as") options.as_user = given->starts_with("@") ? given->substr(1) : *given;
      else options.format = *given;
    } else if (options.verb.empty()) {
      if (argument != "run" && argument != "console" && argument != "check-config" && argument != "export" &&
          argument != "outbox" && argument != "status-page")
        return CliError{"unknown command '" + argument + "'"};
      options.verb = argument;
    } else if (options.verb == "export" && options.incident.empty()) {
      options.incident = argument;
    } else {
      return CliError{"unexpected argument '" + argument + "'"};
    }
  }
  if (options.verb.empty()) return CliError{"a command is required"};
  if (options.verb == "export" && options.incident.empty()) return CliError{"export needs an incident id, e.g. INC-7"};
  if (options.as_user && options.verb != "console") return CliError{"--as is for console"};
  if (options.verb == "status-page" && options.out_dir.empty()) return CliError{"status-page needs --out DIR"};
  if (!options.out_dir.empty() && options.verb != "status-page") return CliError{"--out is for status-page"};
  if (options.postmortem && options.verb != "export") return CliError{"--postmortem is for export"};
  if (options.verb == "outbox") {
    const auto parsed = parse_outbox_command(options.outbox_words);
    if (const auto* problem = std::get_if<std::string>(&parsed)) return CliError{*problem};
  }
  return options;
}

int run_cli(const CliOptions& options, std::istream& in, std::ostream& out, std::ostream& err) {
  if (options.verb == "help") { out << usage_text(); return 0; }
  if (options.verb == "version") { out << "incident-bot " << INCIDENT_BOT_VERSION << '\n'; return 0; }
  if (options.verb == "check-config") return check_config(options, out, err);
  const auto loaded = load(options);
  if (const auto* error = std::get_if<ConfigError>(&loaded)) {
    err << "config error: " << error->describe() << '\n';
    return 1;
  }
  const auto& config = std::get<Config>(loaded);
  // A broken user template stops the bot here, naming the file; it never falls back silently.
  const auto library = load_templates(config.templates.dir);
  if (const auto* error = std::get_if<templates::TemplateError>(&library)) {
    err << "template error: " << error->describe() << '\n';
    return 1;
  }
  if (options.verb == "console") return console(options, config, std::get<Templates>(library), in, out);
  if (options.verb == "export")
    return export_incident({options.incident, options.format, options.postmortem}, config, std::get<Templates>(library),
                           now_utc(), out, err);
  if (options.verb == "status-page") return write_status_page(options.out_dir, config, now_utc(), out, err);
  if (options.verb == "outbox")
    return run_outbox_command(std::get<OutboxCommand>(parse_outbox_command(options.outbox_words)), config, now_utc(), out,
                              err);
  return run(config, err);
}

}  // namespace incident_bot::bot
