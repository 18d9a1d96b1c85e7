#include "fakes/delivery_worlds.hpp"

#include "bot/mattermost/api.hpp"
#include "fakes/http_caller.hpp"

#include <boost/json.hpp>

#include <stdexcept>
#include <thread>

namespace incident_bot::fakes {

namespace json = boost::json;
using std::chrono::milliseconds;

std::int64_t slack_outbox_id(const json::object& message) {
  const auto* metadata = message.if_contains("metadata");
  if (!metadata || !metadata->is_object()) return 0;
  const auto* payload = metadata->as_object().if_contains("event_payload");
  if (!payload || !payload->is_object()) return 0;
  const auto* id = payload->as_object().if_contains("outbox_id");
  return id && id->is_int64() ? id->as_int64() : 0;
}

namespace {

std::int64_t mattermost_outbox_id(const json::object& props) {
  const auto* id = props.if_contains(bot::outbox_id_prop);
  return id && id->is_string() && !id->as_string().empty() ? std::stoll(std::string(id->as_string())) : 0;
}

}  // namespace

bool eventually(const std::function<bool()>& done, milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

void DeliveryWorld::start(const std::function<void(bot::Config&)>& adjust, std::shared_ptr<spdlog::logger> logger) {
  bot::Config configured = config();
  if (adjust) adjust(configured);
  bot_ = std::make_unique<RunningBot>(configured, secrets(), 1'795'000'000, quick_socket_mode(), std::move(logger));
}

std::int64_t DeliveryWorld::enqueue_notice(const std::string& channel, const std::string& text) {
  store::OutboxRow notice;
  notice.platform = chat();
  notice.channel = channel;
  notice.kind = workflows::PostKind::notice;
  notice.payload = bot::outbox_payload({text, {}});
  notice.created_at = bot_->now();
  notice.not_before = bot_->now();
  std::int64_t id = 0;
  bot_->on_bot_thread([&] { id = store::enqueue_post(bot_->runtime().db(), notice); });
  return id;
}

bool DeliveryWorld::wait_for_posts(const std::string& channel, std::size_t count, milliseconds timeout) const {
  return eventually([&] { return messages_in(channel).size() >= count; }, timeout);
}

bool DeliveryWorld::wait_for_post_calls(std::size_t count, milliseconds timeout) const {
  return eventually([&] { return post_calls() >= count; }, timeout);
}

std::optional<store::OutboxRow> DeliveryWorld::row(std::int64_t id) {
  std::optional<store::OutboxRow> found;
  bot_->on_bot_thread([&] { found = store::outbox_row(bot_->runtime().db(), id); });
  return found;
}

std::vector<store::OutboxListing> DeliveryWorld::undelivered() {
  std::vector<store::OutboxListing> listing;
  bot_->on_bot_thread([&] { listing = store::undelivered_posts(bot_->runtime().db(), false, 1000); });
  return listing;
}

std::vector<store::OutboxRow> DeliveryWorld::failed_rows() {
  std::vector<store::OutboxRow> rows;
  for (const auto& listed : undelivered())
    if (listed.failed) rows.push_back(listed.row);
  return rows;
}

bool DeliveryWorld::delivered(std::int64_t id) {
  if (!row(id)) throw std::logic_error("no outbox row " + std::to_string(id));
  const auto open_or_failed = undelivered();
  return std::none_of(open_or_failed.begin(), open_or_failed.end(),
                      [&](const store::OutboxListing& listed) { return listed.row.id == id; });
}

bool DeliveryWorld::wait_until_delivered(std::int64_t id, milliseconds timeout) {
  return eventually([&] { return delivered(id); }, timeout);
}

bool DeliveryWorld::wait_until_settled(milliseconds timeout) {
  return eventually(
      [&] {
        const auto listing = undelivered();
        return std::all_of(listing.begin(), listing.end(), [](const auto& listed) { return listed.failed; });
      },
      timeout);
}

std::string DeliveryWorld::incident_channel_id(const std::string& name) {
  std::optional<std::string> id;
  bot_->on_bot_thread([&] { id = store::channel_id(bot_->runtime().db(), chat(), name); });
  return id.value_or("");
}

// --- Slack

bot::Config SlackDeliveryWorld::config() const {
  bot::Config config;
  config.slack.api_url = api.url();
  config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
  config.slack.announce_channel = announce_channel();
  return config;
}

bot::Secrets SlackDeliveryWorld::secrets() const { return bot::Secrets{signing_secret, bot_token}; }

void SlackDeliveryWorld::command(const std::string& text) {
  if (command_to(bot_->port(), text, bot_->now()) != 200) throw std::runtime_error("the bot refused: " + text);
}

int SlackDeliveryWorld::command_to(unsigned short port, const std::string& text, Timestamp now) const {
  return SlackSender(port, signing_secret).command(text, now, "C0GENERAL", "U0ALICE").status;
}

std::vector<ChatMessage> SlackDeliveryWorld::messages_in(const std::string& channel) const {
  std::vector<ChatMessage> messages;
  for (const auto& message : api.messages_in(channel))
    messages.push_back({std::string(message.at("text").as_string()), slack_outbox_id(message)});
  return messages;
}

std::size_t SlackDeliveryWorld::channels_created() const {
  const auto listed = http_call(api.port(), "POST", "/api/conversations.list",
                                R"({"types":"public_channel,private_channel","limit":1000})",
                                {{"Authorization", std::string("Bearer ") + bot_token},
                                 {"Content-Type", "application/json; charset=utf-8"}});
  const json::value answer = json::parse(listed.body);
  const auto& channels = answer.at("channels").as_array();
  return static_cast<std::size_t>(std::count_if(channels.begin(), channels.end(), [](const json::value& channel) {
    return channel.at("creator") == "UBOT";
  }));
}

std::vector<std::string> SlackDeliveryWorld::channel_names_asked() const {
  std::vector<std::string> names;
  for (const auto& call : api.calls("conversations.create")) names.push_back(call.arg("name"));
  return names;
}

std::string SlackDeliveryWorld::child_config() const {
  return R"("slack": { "api_url": ")" + api.url() + R"(", "announce_channel": ")" + announce_channel() +
         R"(" }, "tls": { "allow_insecure_urls": true })";
}

std::vector<std::pair<std::string, std::string>> SlackDeliveryWorld::child_environment() const {
  return {{"SLACK_SIGNING_SECRET", signing_secret}, {"SLACK_BOT_TOKEN", bot_token}};
}

// --- Mattermost

MattermostDeliveryWorld::MattermostDeliveryWorld() {
  server.add_channel("incidents", announcements());
  server.add_user(alice(), "alice");
}

bot::Config MattermostDeliveryWorld::config() const {
  bot::Config config;
  config.mattermost.url = server.url();
  config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
  config.mattermost.team_id = team();
  config.mattermost.announce_channel = announce_channel();
  return config;
}

bot::Secrets MattermostDeliveryWorld::secrets() const {
  bot::Secrets secrets;
  secrets.mattermost_command_token = command_token;
  secrets.mattermost_bot_token = bot_token;
  return secrets;
}

void MattermostDeliveryWorld::command(const std::string& text) {
  if (command_to(bot_->port(), text, bot_->now()) != 200) throw std::runtime_error("the bot refused: " + text);
}

int MattermostDeliveryWorld::command_to(unsigned short port, const std::string& text, Timestamp) const {
  return MattermostSender(port, command_token).command(text, general(), alice(), "alice").status;
}

std::vector<ChatMessage> MattermostDeliveryWorld::messages_in(const std::string& channel) const {
  const std::string by_name = server.channel_id(channel);
  std::vector<ChatMessage> messages;
  for (const auto& post : server.posts_in(by_name.empty() ? channel : by_name))
    messages.push_back({post.message, mattermost_outbox_id(post.props)});
  return messages;
}

std::size_t MattermostDeliveryWorld::channels_created() const {
  const auto asked = server.requests("POST /channels");
  return static_cast<std::size_t>(std::count_if(asked.begin(), asked.end(), [](const MattermostRequest& request) {
    return request.status == 0 || request.status == 201;
  }));
}

std::vector<std::string> MattermostDeliveryWorld::channel_names_asked() const {
  std::vector<std::string> names;
  for (const auto& request : server.requests("POST /channels")) names.push_back(request.arg("name"));
  return names;
}

std::string MattermostDeliveryWorld::child_config() const {
  return R"("mattermost": { "url": ")" + server.url() + R"(", "team_id": ")" + team() + R"(", "announce_channel": ")" +
         announce_channel() + R"(" }, "tls": { "allow_insecure_urls": true })";
}

std::vector<std::pair<std::string, std::string>> MattermostDeliveryWorld::child_environment() const {
  return {{"MATTERMOST_COMMAND_TOKEN", command_token}, {"MATTERMOST_BOT_TOKEN", bot_token}};
}

const std::vector<DeliveryChat>& delivery_chats() {
  static const std::vector<DeliveryChat> table{
      {"slack", [] { return std::make_unique<SlackDeliveryWorld>(); }},
      {"mattermost", [] { return std::make_unique<MattermostDeliveryWorld>(); }},
  };
  return table;
}

}  // namespace incident_bot::fakes
