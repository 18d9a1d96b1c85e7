#pragma once
// Mattermost slash commands over HTTP (POST form, or GET with the fields in the query string when
// the command is configured so), verified by their token, turned into Invocations.
#include "bot/core/channel_members.hpp"
#include "bot/core/dispatcher.hpp"
#include "bot/core/group_commit.hpp"
#include "bot/net/http_server.hpp"
#include "bot/net/refusal_log.hpp"
#include "bot/mattermost/markup.hpp"
#include "bot/net/router.hpp"

#include <boost/json/object.hpp>

#include <functional>

namespace incident_bot::bot {

struct MattermostHttpOptions {
  std::string command_token;  // MATTERMOST_COMMAND_TOKEN
  std::function<Timestamp()> clock;
  std::function<void()> posts_waiting;  // posts are waiting in the outbox
  // Who is in the private incidents' channels; null: nobody is asked, and only role holders and declarers see them.
  ChannelMembers* members = nullptr;
  // Opens the declare dialog, the API call in the background; null (no bot token): `declare` alone gets the usage.
  std::function<void(std::string trigger_id, std::string url, boost::json::object dialog)> open_dialog;
  // mattermost.dialog_url: where Mattermost posts a submitted dialog; empty: /mattermost/dialogs on the host
  // the slash command came to.
  std::string dialog_url;
};

class MattermostHttp {
 public:
  MattermostHttp(Dispatcher& dispatcher, SQLite::Database& db, GroupCommit& commits, MattermostHttpOptions options,
                 std::shared_ptr<spdlog::logger> logger);

  void add_routes(Router& router);  // POST and GET /mattermost/commands, POST /mattermost/dialogs
  // Answers once the command, with the names it taught, is committed.
  void commands(const ServerRequest& request, Responder respond);
  // A submitted declare dialog: its state checked, its fields as the grammar checks them, then declared once.
  void dialogs(const ServerRequest& request, Responder respond);

 private:
  // Where Mattermost is to post the dialog; "" when it cannot be told.
  std::string dialog_url_for(const ServerRequest& request) const;

  Dispatcher& dispatcher_;
  SQLite::Database& db_;
  GroupCommit& commits_;
  MattermostHttpOptions options_;
  std::shared_ptr<spdlog::logger> logger_;
  RefusalLog refusals_;
  RefusalLog dialog_refusals_;
};

// True when the request carries the token, as "Authorization: Token …" or as the token field;
// compared in constant time. An empty expected token accepts nothing.
bool mattermost_token_matches(std::string_view expected, std::string_view authorization, std::string_view token_field);

// The JSON Mattermost expects back: {"response_type": "ephemeral"|"in_channel", "text": …}.
std::string mattermost_command_reply(const Reply& reply);

// Mattermost sends user_mentions and user_mentions_ids as repeated fields, in step; a mention
// with no id (or an id with no mention) is dropped. Names lose a leading '@'.
MentionIds mentions_from(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace incident_bot::bot
