#include "bot/mattermost/command_receiver.hpp"

#include "bot/core/declare_form.hpp"
#include "bot/core/public_ids.hpp"
#include "bot/mattermost/dialog.hpp"
#include "bot/mattermost/translator.hpp"
#include "bot/net/form.hpp"
#include "bot/net/hmac.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace incident_bot::bot {

namespace http = boost::beast::http;
namespace json = boost::json;

namespace {

ServerResponse bad_request(std::string reason) { return plain_response(http::status::bad_request, std::move(reason) + "\n"); }

std::string value_of(const FormPairs& fields, std::string_view name) {
  for (const auto& [field_name, value] : fields)
    if (field_name == name) return value;
  return {};
}

}  // namespace

bool mattermost_token_matches(std::string_view expected, std::string_view authorization, std::string_view token_field) {
  if (expected.empty()) return false;
  const auto same = [&](std::string_view given) { return same_secret(given, expected); };
  constexpr std::string_view scheme = "Token ";
  if (authorization.size() > scheme.size()) {
    std::string prefix(authorization.substr(0, scheme.size()));
    for (char& c : prefix) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (prefix == "token " && same(authorization.substr(scheme.size()))) return true;
  }
  return !token_field.empty() && same(token_field);
}

std::string mattermost_command_reply(const Reply& reply) {
  return json::serialize(json::object{
      {"response_type", reply.visibility == workflows::Visibility::in_channel ? "in_channel" : "ephemeral"},
      {"text", within_message_limit(reply.text)}});
}

MentionIds mentions_from(const FormPairs& fields) {
  std::vector<std::string> names;
  std::vector<std::string> ids;
  for (const auto& [name, value] : fields) {
    if (name == "user_mentions") names.push_back(value.starts_with('@') ? value.substr(1) : value);
    if (name == "user_mentions_ids") ids.push_back(value);
  }
  MentionIds mentions;
  for (std::size_t i = 0; i < std::min(names.size(), ids.size()); ++i)
    if (!names[i].empty() && !ids[i].empty()) mentions.emplace(names[i], ids[i]);
  return mentions;
}

MattermostHttp::MattermostHttp(Dispatcher& dispatcher, SQLite::Database& db, GroupCommit& commits,
                               MattermostHttpOptions options, std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher), db_(db), commits_(commits), options_(std::move(options)), logger_(std::move(logger)),
      refusals_(logger_, "Mattermost commands without a valid token", options_.clock),
      dialog_refusals_(logger_, "Mattermost dialog submissions without a valid state", options_.clock) {}

void MattermostHttp::add_routes(Router& router) {
  const auto handler = [this](const ServerRequest& r, Responder respond) { commands(r, std::move(respond)); };
  router.add_deferred(http::verb::post, "/mattermost/commands", handler);
  router.add_deferred(http::verb::get, "/mattermost/commands", handler);
  router.add_deferred(http::verb::post, "/mattermost/dialogs",
                      [this](const ServerRequest& r, Responder respond) { dialogs(r, std::move(respond)); });
}

std::string MattermostHttp::dialog_url_for(const ServerRequest& request) const {
  if (!options_.dialog_url.empty()) return options_.dialog_url;
  const std::string_view host = request[http::field::host];
  const auto is_host_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' ||
                                                c == ':' || c == '[' || c == ']'; };
  if (host.empty() || host.size() > 255 || !std::all_of(host.begin(), host.end(), is_host_char)) return {};
  // Behind a TLS proxy the command came in over https, and the dialog's submission should too.
  const bool https = request["X-Forwarded-Proto"] == "https";
  return std::string(https ? "https://" : "http://") + std::string(host) + "/mattermost/dialogs";
}

void MattermostHttp::commands(const ServerRequest& request, Responder respond) {
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const std::string_view encoded = request.method() == http::verb::get
                                       ? (question == std::string_view::npos ? std::string_view{} : target.substr(question + 1))
                                       : std::string_view(request.body());
  auto fields = parse_form_pairs(encoded);
  const std::string token = fields ? value_of(*fields, "token") : std::string{};
  if (!mattermost_token_matches(options_.command_token, request[http::field::authorization], token)) {
    refusals_.refused(request, "no valid Mattermost command token");
    return respond(plain_response(http::status::unauthorized, "invalid or missing command token\n"));
  }
  if (!fields) return respond(bad_request("malformed form fields"));
  const std::string channel = value_of(*fields, "channel_id");
  const std::string user = value_of(*fields, "user_id");
  if (channel.empty() || user.empty()) return respond(bad_request("channel_id and user_id are required"));

  const std::string text = value_of(*fields, "text");
  const std::string trigger = value_of(*fields, "trigger_id");
  if (const std::string url = dialog_url_for(request);
      opens_declare_form(text) && !trigger.empty() && options_.open_dialog && !url.empty()) {
    const DialogState state{channel, user, options_.clock() + dialog_lifetime, fresh_public_id()};
    options_.open_dialog(trigger, url, declare_dialog(dispatcher_.policy(), signed_dialog_state(options_.command_token, state)));
    return respond(json_response(R"({"response_type":"ephemeral","text":""})"));
  }
  // Who the user is in the private incidents' channels is asked first: the transaction makes no network call.
  Invocation probe{channel, user, text, {}};
  auto submit = [this, fields = std::move(*fields), respond = std::move(respond)](Invocation learned) mutable {
    auto reply = std::make_shared<Reply>();
    const Timestamp now = options_.clock();
    // The names a command teaches are stored with it, in its savepoint.
    auto work = [this, reply, now, learned = std::move(learned), fields = std::move(fields)]() mutable {
      const std::string platform = dispatcher_.platform().name;
      const MentionIds mentions = mentions_from(fields);
      store::remember_user(db_, platform, learned.user, value_of(fields, "user_name"));
      for (const auto& [name, id] : mentions) store::remember_user(db_, platform, id, name);
      learned.text = mentions_as_ids(value_of(fields, "text"), mentions, [&](std::string_view name) {
        return store::user_named(db_, platform, name);
      });
      const std::string trigger = value_of(fields, "trigger_id");
      learned.delivery_id = trigger.empty() ? std::string{} : "mattermost:command:" + trigger;
      *reply = dispatcher_.handle_in_transaction(learned, now);
      reply->text = mentions_as_names(reply->text, [&](std::string_view id) { return store::user_name(db_, platform, id); });
    };
    commits_.submit(std::move(work), [this, reply, respond = std::move(respond)](std::exception_ptr failure) {
      if (failure) return respond.fail();
      if (options_.posts_waiting) options_.posts_waiting();
      respond(json_response(mattermost_command_reply(*reply)));
    });
  };
  if (!options_.members) return submit(std::move(probe));
  options_.members->learn(std::move(probe), std::move(submit));
}

void MattermostHttp::dialogs(const ServerRequest& request, Responder respond) {
  boost::system::error_code ec;
  const json::value body = json::parse(request.body(), ec);
  if (ec) return respond(bad_request("malformed JSON: " + ec.message()));
  std::string problem;
  const auto submission = dialog_submission_from(body, problem);
  if (!submission) return respond(bad_request(problem));
  const auto state = verified_dialog_state(options_.command_token, submission->state, options_.clock());
  if (!state || state->user != submission->user || state->channel != submission->channel ||
      submission->callback_id != declare_form_callback) {
    dialog_refusals_.refused(request, "no valid dialog state");
    return respond(plain_response(http::status::unauthorized, "dialog state missing, expired or not this bot's\n"));
  }
  if (submission->cancelled) return respond(json_response("{}"));
  auto declared = declare_from_form(declare_fields_from(submission->submission), dispatcher_.policy());
  if (const auto* refused = std::get_if<commands::DeclareFieldError>(&declared))
    return respond(json_response(json::serialize(declare_dialog_errors(*refused))));
  // One dialog declares once: its nonce is the delivery id, whatever Mattermost or a double click sends again.
  Invocation invocation{state->channel, state->user, {}, "mattermost:dialog:" + state->nonce, true,
                        commands::Parsed{std::nullopt, std::get<commands::Declare>(std::move(declared))}};
  const Timestamp now = options_.clock();
  commits_.submit([this, invocation = std::move(invocation), now] { dispatcher_.handle_in_transaction(invocation, now); },
                  [this, respond = std::move(respond)](std::exception_ptr failure) {
                    if (failure) return respond.fail();
                    if (options_.posts_waiting) options_.posts_waiting();
                    respond(json_response("{}"));
                  });
}

}  // namespace incident_bot::bot
