#include "bot/slack/errors.hpp"

#include <array>

namespace incident_bot::bot {

namespace {

using enum Disposition;

// Sources: the "Errors" section of each method's page on docs.slack.dev and the common
// errors every Web API method can return.
constexpr std::array rules{
    // Authentication: the token itself is unusable.
    SlackErrorRule{"not_authed", "", fatal_auth, "no token was sent"},
    SlackErrorRule{"invalid_auth", "", fatal_auth, "the token is not valid"},
    SlackErrorRule{"account_inactive", "", fatal_auth, "the token's user or bot was deleted or the workspace disabled"},
    SlackErrorRule{"token_revoked", "", fatal_auth, "the token was revoked"},
    SlackErrorRule{"token_expired", "", fatal_auth, "the token expired (token rotation)"},
    SlackErrorRule{"not_allowed_token_type", "", fatal_auth, "a token of the wrong kind (bot vs app vs user)"},
    SlackErrorRule{"team_disabled", "", fatal_auth, "the workspace was disabled"},
    SlackErrorRule{"user_removed_from_team", "", fatal_auth, "the installing user left the workspace"},
    SlackErrorRule{"two_factor_setup_required", "", fatal_auth, "the workspace demands two-factor setup first"},
    SlackErrorRule{"team_access_not_granted", "", fatal_auth, "the token has no access to this workspace"},
    // Permissions: the token works but this call is not allowed; fixing it needs a human.
    SlackErrorRule{"no_permission", "", give_up, "the token lacks the permission for this call"},
    SlackErrorRule{"missing_scope", "", give_up, "the app was installed without a scope this method needs"},
    SlackErrorRule{"access_denied", "", give_up, "access to the resource was denied"},
    SlackErrorRule{"ekm_access_denied", "", give_up, "administrators suspended access (Enterprise Key Management)"},
    SlackErrorRule{"enterprise_is_restricted", "", give_up, "the method is not available on this Enterprise grid"},
    SlackErrorRule{"restricted_action", "", give_up, "a workspace preference forbids the action"},
    SlackErrorRule{"restricted_action_read_only_channel", "", give_up, "the channel is read-only"},
    SlackErrorRule{"restricted_action_thread_only_channel", "", give_up, "the channel takes thread replies only"},
    SlackErrorRule{"restricted_action_non_threadable_channel", "", give_up, "the channel takes no threads"},
    SlackErrorRule{"user_is_restricted", "", give_up, "a guest account cannot do this"},
    SlackErrorRule{"is_bot", "", give_up, "bots cannot call this method"},
    SlackErrorRule{"accesslimited", "", give_up, "access limited for this method"},
    // Slack's side, transient.
    SlackErrorRule{"internal_error", "", retry, "a transient failure on Slack's side"},
    SlackErrorRule{"service_unavailable", "", retry, "the service is temporarily unavailable"},
    SlackErrorRule{"request_timeout", "", retry, "the POST data was missing or truncated on the way"},
    SlackErrorRule{"team_added_to_org", "", retry, "the workspace is migrating to an Enterprise org; temporary"},
    SlackErrorRule{"org_login_required", "", retry, "the workspace is migrating to an Enterprise org; temporary"},
    SlackErrorRule{"fatal_error", "", give_up, "catastrophic server error; part may have succeeded, so no retry"},
    // Rate limits (Slack answers HTTP 429 with Retry-After; the body says ratelimited).
    SlackErrorRule{"ratelimited", "", rate_limited, "over the method's rate limit"},
    SlackErrorRule{"rate_limited", "", rate_limited, "over the method's rate limit (older spelling)"},
    SlackErrorRule{"message_limit_exceeded", "", rate_limited, "too many messages to this channel just now"},
    // A request the bot built wrongly: a bug, retrying cannot help.
    SlackErrorRule{"invalid_arguments", "", give_up, "a required argument is missing or malformed"},
    SlackErrorRule{"invalid_arg_name", "", give_up, "an argument name is not valid"},
    SlackErrorRule{"invalid_array_arg", "", give_up, "an array was passed in a form argument"},
    SlackErrorRule{"invalid_charset", "", give_up, "the charset in Content-Type is not valid"},
    SlackErrorRule{"invalid_form_data", "", give_up, "the form data is not valid"},
    SlackErrorRule{"invalid_post_type", "", give_up, "the Content-Type is not one Slack accepts"},
    SlackErrorRule{"missing_post_type", "", give_up, "no Content-Type was sent"},
    SlackErrorRule{"invalid_json", "", give_up, "the JSON body does not parse"},
    SlackErrorRule{"json_not_object", "", give_up, "the JSON body is not an object"},
    SlackErrorRule{"missing_charset", "", give_up, "Content-Type lacks the charset Slack wants"},
    SlackErrorRule{"superfluous_charset", "", give_up, "Content-Type has a charset Slack does not want"},
    SlackErrorRule{"upgrade_required", "", give_up, "the method needs a newer app or API version"},
    SlackErrorRule{"deprecated_endpoint", "", give_up, "the endpoint was retired"},
    SlackErrorRule{"method_deprecated", "", give_up, "the method was retired"},
    SlackErrorRule{"unknown_method", "", give_up, "no such method (a typo, or not a Slack-compatible server)"},
    // Channels: they vanish, get archived, or the bot is not in them.
    SlackErrorRule{"channel_not_found", "", give_up, "no such channel, or the bot cannot see it"},
    SlackErrorRule{"not_in_channel", "", join_channel, "the bot must join the channel first"},
    SlackErrorRule{"is_archived", "", give_up, "the channel is archived"},
    SlackErrorRule{"method_not_supported_for_channel_type", "", give_up, "not possible in this kind of conversation"},
    // chat.postMessage, chat.postEphemeral, chat.update
    SlackErrorRule{"msg_too_long", "", give_up, "the message text is too long"},
    SlackErrorRule{"no_text", "", give_up, "neither text nor blocks were given"},
    SlackErrorRule{"invalid_blocks", "", give_up, "a block breaks a Block Kit limit"},
    SlackErrorRule{"invalid_blocks_format", "", give_up, "blocks is not an array of block objects"},
    SlackErrorRule{"too_many_attachments", "", give_up, "more than 100 attachments"},
    SlackErrorRule{"invalid_attachments", "", give_up, "the attachments are not valid"},
    SlackErrorRule{"invalid_metadata_format", "", give_up, "the message metadata is malformed"},
    SlackErrorRule{"user_not_in_channel", "chat.postEphemeral", give_up, "an ephemeral needs its user in the channel"},
    SlackErrorRule{"cant_update_message", "chat.update", post_new, "this message cannot be edited by the bot"},
    SlackErrorRule{"edit_window_closed", "chat.update", post_new, "the message is too old to edit"},
    SlackErrorRule{"message_not_found", "chat.update", post_new, "the message to edit is gone"},
    SlackErrorRule{"is_inactive", "", give_up, "the conversation or message is inactive (archived)"},
    // conversations.create
    SlackErrorRule{"name_taken", "", rename, "a channel of that name exists (perhaps archived)"},
    SlackErrorRule{"invalid_name_specials", "", give_up, "the name has characters other than a-z 0-9 - _"},
    SlackErrorRule{"invalid_name_maxlength", "", give_up, "the name is over 80 characters"},
    SlackErrorRule{"invalid_name_punctuation", "", give_up, "the name is only punctuation"},
    SlackErrorRule{"invalid_name_required", "", give_up, "no name was given"},
    SlackErrorRule{"invalid_name", "", give_up, "the name is not valid"},
    SlackErrorRule{"no_channel", "", give_up, "the name was empty after cleaning"},
    // conversations.invite
    SlackErrorRule{"already_in_channel", "", already_done, "the user is in the channel already"},
    SlackErrorRule{"cant_invite_self", "", already_done, "the bot is in the channel already (it created it)"},
    SlackErrorRule{"user_not_found", "", give_up, "no such user"},
    SlackErrorRule{"user_not_visible", "", give_up, "the bot cannot see that user"},
    SlackErrorRule{"cant_invite", "", give_up, "that user cannot be invited here"},
    SlackErrorRule{"user_is_ultra_restricted", "", give_up, "single-channel guests cannot be invited"},
    SlackErrorRule{"ura_max_channels", "", give_up, "the guest is in the most channels allowed"},
    SlackErrorRule{"no_user", "", give_up, "no user was given"},
    SlackErrorRule{"user_disabled", "", give_up, "the user's account is deactivated"},
    SlackErrorRule{"user_is_bot", "", give_up, "that user is a bot"},
    SlackErrorRule{"too_many_users", "", give_up, "over 1000 users in one invite"},
    // conversations.members (and the other paged lists)
    SlackErrorRule{"fetch_members_failed", "conversations.members", retry, "Slack failed to read the members; it may next time"},
    SlackErrorRule{"invalid_cursor", "", give_up, "the page cursor is not one Slack gave"},
    SlackErrorRule{"invalid_limit", "", give_up, "the page size is out of range"},
    // conversations.setTopic
    SlackErrorRule{"too_long", "", give_up, "the topic is over 250 characters"},
    // pins.add
    SlackErrorRule{"already_pinned", "", already_done, "the message is pinned already"},
    SlackErrorRule{"message_not_found", "", give_up, "no such message"},
    SlackErrorRule{"not_pinnable", "", give_up, "that message cannot be pinned"},
    SlackErrorRule{"too_many_pins", "", give_up, "the channel has the most pins allowed"},
    SlackErrorRule{"bad_timestamp", "", give_up, "the timestamp is malformed"},
    SlackErrorRule{"no_item_specified", "", give_up, "no message timestamp was given"},
    // bookmarks.add
    SlackErrorRule{"invalid_link", "", give_up, "the link does not begin with http:// or https://"},
    SlackErrorRule{"invalid_bookmark_type", "", give_up, "the bookmark type is not valid"},
    SlackErrorRule{"too_many_tabs", "", give_up, "the channel has the most bookmarks allowed"},
    SlackErrorRule{"not_implemented", "", give_up, "bookmarks are not available here"},
    SlackErrorRule{"too_many_requests", "", retry, "too many concurrent requests; Slack says retry"},
    // views.open: a trigger works once, within 3 seconds
    SlackErrorRule{"invalid_trigger_id", "", give_up, "the trigger_id is not valid"},
    SlackErrorRule{"expired_trigger_id", "", give_up, "the trigger_id is older than 3 seconds"},
    SlackErrorRule{"exchanged_trigger_id", "", give_up, "the trigger_id was used already"},
    SlackErrorRule{"view_too_large", "", give_up, "the view is over 250 kB"},
    SlackErrorRule{"duplicate_external_id", "", give_up, "a view with that external_id is open"},
};

const SlackErrorRule* find_rule(std::string_view method, std::string_view error) {
  const SlackErrorRule* any_method = nullptr;
  for (const auto& rule : rules) {
    if (rule.error != error) continue;
    if (rule.method == method) return &rule;
    if (rule.method.empty()) any_method = &rule;
  }
  return any_method;
}

}  // namespace

std::span<const SlackErrorRule> slack_error_rules() { return rules; }

Disposition classify_slack_error(std::string_view method, std::string_view error) {
  const auto* rule = find_rule(method, error);
  return rule ? rule->disposition : give_up;
}

bool is_known_slack_error(std::string_view method, std::string_view error) {
  return find_rule(method, error) != nullptr;
}


}  // namespace incident_bot::bot
