#include "bot/mattermost/translator.hpp"

#include "bot/core/web_api_answer.hpp"
#include "bot/mattermost/markup.hpp"
#include "store/store.hpp"

#include <cctype>

namespace incident_bot::bot {

namespace asio = boost::asio;

namespace {

constexpr std::size_t name_limit = 64;
constexpr std::size_t header_limit = 1024;
constexpr std::size_t message_limit = 16383;

// Cut at a character boundary, never inside a UTF-8 sequence.
std::string cut(std::string text, std::size_t limit, std::string_view mark) {
  if (text.size() <= limit) return text;
  std::size_t at = limit - mark.size();
  while (at > 0 && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80) --at;
  return text.substr(0, at) + std::string(mark);
}

std::string display_name(const Incident& incident) { return cut(incident_id(incident.number) + " " + incident.title, name_limit, "…"); }

}  // namespace

std::string within_message_limit(std::string text) { return cut(std::move(text), message_limit, "\n… (truncated)"); }

std::string mattermost_channel_name(std::string_view name) {
  std::string cleaned;
  for (const char c : name) {
    const auto lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (std::isalnum(static_cast<unsigned char>(lower)) || lower == '-' || lower == '_') cleaned += lower;
  }
  if (cleaned.size() > name_limit) cleaned.resize(name_limit);
  while (!cleaned.empty() && (cleaned.back() == '-' || cleaned.back() == '_')) cleaned.pop_back();
  return cleaned;
}

MattermostTranslator::MattermostTranslator(SQLite::Database& db, MattermostApi& api, std::string team_id)
    : db_(db), api_(api), team_id_(std::move(team_id)), traits_(mattermost_platform(true)) {}

std::string MattermostTranslator::channel_name(const Incident& incident, int attempt) const {
  const std::string base = mattermost_channel_name(incident.channel);
  if (attempt <= 1) return base;
  const std::string suffix = "-" + std::to_string(attempt);
  return base.substr(0, name_limit - suffix.size()) + suffix;
}

asio::awaitable<ChatAnswer> MattermostTranslator::create_channel(std::string name, Incident incident) {
  const auto created = co_await api_.create_channel(team_id_, std::move(name), display_name(incident), incident.is_private);
  co_return chat_answer(created.result, created.value);
}

asio::awaitable<ChatAnswer> MattermostTranslator::find_channel(std::string name) {
  const auto found = co_await api_.channel_by_name(team_id_, std::move(name));
  if (!found.ok()) co_return chat_answer(found.result);
  ChatAnswer answer = ChatAnswer::done(found.value.id);
  if (!found.value.id.empty()) {
    const auto me = co_await api_.me();
    if (!me.ok()) co_return chat_answer(me.result);
    answer.made_by_this_bot = found.value.creator_id == me.value.id;
  }
  co_return answer;
}

asio::awaitable<std::string> MattermostTranslator::with_names(std::string text) {
  for (const auto& id : mentioned_ids(text)) {
    if (store::user_name(db_, traits_.name, id)) continue;
    const auto user = co_await api_.user(id);
    if (user.ok()) store::remember_user(db_, traits_.name, id, user.value.username);
  }
  co_return mentions_as_names(text, [this](std::string_view id) { return store::user_name(db_, traits_.name, id); });
}

asio::awaitable<ApiValue<std::string>> MattermostTranslator::channel_id(std::string channel, bool direct) {
  if (!channel.empty() && (channel.front() == '#' || channel.front() == '~' || channel.front() == '@')) channel.erase(0, 1);
  if (channel.empty()) co_return ApiValue<std::string>{ApiResult{.error = "no channel: set mattermost.announce_channel"}, {}};
  if (!direct) {
    if (is_mattermost_id(channel)) co_return ApiValue<std::string>{ApiResult{.ok = true, .disposition = Disposition::ok}, channel};
    co_return co_await api_.channel_named(team_id_, channel);
  }
  // A reminder to one person: their direct channel with the bot. A name (comms_fallback) is looked up.
  if (!is_mattermost_id(channel)) {
    const auto known = store::user_named(db_, traits_.name, channel);
    if (!known) co_return ApiValue<std::string>{ApiResult{.error = "no Mattermost user known as @" + channel}, {}};
    channel = *known;
  }
  co_return co_await api_.direct_channel(channel);
}

asio::awaitable<ChatAnswer> MattermostTranslator::post(OutgoingPost post) {
  const auto channel = co_await channel_id(post.channel, false);
  if (!channel.ok()) co_return chat_answer(channel.result);
  const std::string message = within_message_limit(co_await with_names(post.message.text));
  const auto posted = co_await api_.create_post(channel.value, message, post.row_id);
  co_return chat_answer(posted.result, posted.value);
}

asio::awaitable<ChatAnswer> MattermostTranslator::direct(OutgoingPost post) {
  const auto channel = co_await channel_id(post.channel, true);
  if (!channel.ok()) co_return chat_answer(channel.result);
  post.channel = channel.value;
  co_return co_await this->post(std::move(post));
}

asio::awaitable<ChatAnswer> MattermostTranslator::find_post(OutgoingPost post, bool direct) {
  const auto channel = co_await channel_id(post.channel, direct);
  if (!channel.ok()) co_return chat_answer(channel.result);
  const auto found = co_await api_.find_post(channel.value, post.row_id);
  co_return chat_answer(found.result, found.value);
}

asio::awaitable<ChatAnswer> MattermostTranslator::edit(std::string, std::string message_ref, OutgoingPost post) {
  const std::string message = within_message_limit(co_await with_names(post.message.text));
  co_return chat_answer(co_await api_.patch_post(message_ref, message), message_ref);
}

asio::awaitable<ChatAnswer> MattermostTranslator::pin(std::string, std::string message_ref) {
  co_return chat_answer(co_await api_.pin(std::move(message_ref)));
}

asio::awaitable<ChatAnswer> MattermostTranslator::invite(std::string channel_id, std::string user) {
  co_return chat_answer(co_await api_.add_member(std::move(channel_id), std::move(user)));
}

asio::awaitable<ChatAnswer> MattermostTranslator::set_topic(std::string channel_id, std::string topic) {
  std::string header = cut(co_await with_names(std::move(topic)), header_limit, "…");
  co_return chat_answer(co_await api_.set_header(std::move(channel_id), std::move(header)));
}

asio::awaitable<ChatAnswer> MattermostTranslator::ephemeral(std::string channel, std::string user, RenderedMessage message) {
  const auto id = co_await channel_id(std::move(channel), false);
  if (!id.ok()) co_return chat_answer(id.result);
  const std::string text = within_message_limit(co_await with_names(message.text));
  co_return chat_answer(co_await api_.post_ephemeral(id.value, std::move(user), text));
}

asio::awaitable<ChatAnswer> MattermostTranslator::channel_members(std::string channel_id) {
  auto members = co_await api_.channel_members(std::move(channel_id));
  ChatAnswer answer = chat_answer(members.result);
  if (answer.ok()) answer.values = std::move(members.value);
  co_return answer;
}

}  // namespace incident_bot::bot
