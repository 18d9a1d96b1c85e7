#include "bot/mattermost/command_receiver.hpp"

#include "bot/net/form.hpp"
#include "store/store.hpp"

#include <boost/json.hpp>
#include <openssl/crypto.h>

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
  const auto same = [&](std::string_view given) {
    return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), expected.size()) == 0;
  };
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
      {"text", reply.text}});
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

MattermostHttp::MattermostHttp(Dispatcher& dispatcher, SQLite::Database& db, MattermostHttpOptions options,
                               std::shared_ptr<spdlog::logger> logger)
    : dispatcher_(dispatcher), db_(db), options_(std::move(options)), logger_(std::move(logger)) {}

void MattermostHttp::add_routes(Router& router) {
  router.add(http::verb::post, "/mattermost/commands", [this](const ServerRequest& r) { return commands(r); });
  router.add(http::verb::get, "/mattermost/commands", [this](const ServerRequest& r) { return commands(r); });
}

ServerResponse MattermostHttp::commands(const ServerRequest& request) {
  const std::string_view target = request.target();
  const auto question = target.find('?');
  const std::string_view encoded = request.method() == http::verb::get
                                       ? (question == std::string_view::npos ? std::string_view{} : target.substr(question + 1))
                                       : std::string_view(request.body());
  const auto fields = parse_form_pairs(encoded);
  const std::string token = fields ? value_of(*fields, "token") : std::string{};
  if (!mattermost_token_matches(options_.command_token, request[http::field::authorization], token)) {
    logger_->warn("refused {} {}: no valid Mattermost command token", std::string(request.method_string()),
                  std::string(target.substr(0, question)));
    return plain_response(http::status::unauthorized, "invalid or missing command token\n");
  }
  if (!fields) return bad_request("malformed form fields");
  const std::string channel = value_of(*fields, "channel_id");
  const std::string user = value_of(*fields, "user_id");
  if (channel.empty() || user.empty()) return bad_request("channel_id and user_id are required");

  const std::string platform = dispatcher_.platform().name;
  const MentionIds mentions = mentions_from(*fields);
  store::remember_user(db_, platform, user, value_of(*fields, "user_name"));
  for (const auto& [name, id] : mentions) store::remember_user(db_, platform, id, name);
  const std::string text = mentions_as_ids(value_of(*fields, "text"), mentions, [&](std::string_view name) {
    return store::user_named(db_, platform, name);
  });
  const std::string trigger = value_of(*fields, "trigger_id");
  const std::string delivery = trigger.empty() ? std::string{} : "mattermost:command:" + trigger;

  Reply reply = dispatcher_.handle({channel, user, text, delivery}, options_.clock());
  if (options_.posts_waiting) options_.posts_waiting();
  reply.text = mentions_as_names(reply.text, [&](std::string_view id) { return store::user_name(db_, platform, id); });
  return json_response(mattermost_command_reply(reply));
}

}  // namespace incident_bot::bot
