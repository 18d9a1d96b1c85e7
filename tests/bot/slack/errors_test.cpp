#include "bot/slack/errors.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <utility>

using incident_bot::bot::classify_slack_error;
using incident_bot::bot::Disposition;
using incident_bot::bot::is_known_slack_error;
using incident_bot::bot::slack_error_rules;
using incident_bot::bot::to_string;

namespace {

struct Expected {
  const char* method;
  const char* error;
  Disposition disposition;
};

using enum Disposition;

// What the bot must do for each error its methods can return, written out independently of
// the table under test.
constexpr Expected expectations[] = {
    {"chat.postMessage", "not_authed", fatal_auth},
    {"chat.postMessage", "invalid_auth", fatal_auth},
    {"users.info", "account_inactive", fatal_auth},
    {"pins.add", "token_revoked", fatal_auth},
    {"chat.update", "token_expired", fatal_auth},
    {"apps.connections.open", "not_allowed_token_type", fatal_auth},
    {"apps.connections.open", "invalid_auth", fatal_auth},
    {"apps.connections.open", "team_disabled", fatal_auth},
    {"apps.connections.open", "user_removed_from_team", fatal_auth},
    {"conversations.create", "no_permission", give_up},
    {"bookmarks.add", "missing_scope", give_up},
    {"chat.postMessage", "channel_not_found", give_up},
    {"chat.postMessage", "not_in_channel", join_channel},
    {"conversations.invite", "not_in_channel", join_channel},
    {"chat.postMessage", "is_archived", give_up},
    {"conversations.setTopic", "is_archived", give_up},
    {"chat.postMessage", "msg_too_long", give_up},
    {"chat.postMessage", "no_text", give_up},
    {"chat.postMessage", "invalid_blocks", give_up},
    {"chat.update", "invalid_blocks_format", give_up},
    {"chat.postMessage", "too_many_attachments", give_up},
    {"chat.postMessage", "rate_limited", rate_limited},
    {"chat.postMessage", "ratelimited", rate_limited},
    {"chat.postMessage", "message_limit_exceeded", rate_limited},
    {"conversations.create", "name_taken", rename},
    {"conversations.create", "invalid_name_specials", give_up},
    {"conversations.create", "invalid_name_maxlength", give_up},
    {"conversations.create", "invalid_name", give_up},
    {"conversations.create", "invalid_name_required", give_up},
    {"conversations.create", "invalid_name_punctuation", give_up},
    {"conversations.create", "restricted_action", give_up},
    {"conversations.create", "user_is_restricted", give_up},
    {"conversations.invite", "already_in_channel", already_done},
    {"conversations.invite", "cant_invite_self", already_done},
    {"conversations.invite", "user_not_found", give_up},
    {"users.info", "user_not_found", give_up},
    {"conversations.invite", "user_is_restricted", give_up},
    {"conversations.invite", "cant_invite", give_up},
    {"pins.add", "already_pinned", already_done},
    {"pins.add", "message_not_found", give_up},
    {"pins.add", "not_pinnable", give_up},
    {"pins.add", "too_many_pins", give_up},
    {"views.open", "invalid_trigger_id", give_up},
    {"views.open", "expired_trigger_id", give_up},
    {"views.open", "exchanged_trigger_id", give_up},
    {"views.open", "view_too_large", give_up},
    {"chat.postMessage", "internal_error", retry},
    {"chat.postMessage", "fatal_error", give_up},
    {"users.info", "service_unavailable", retry},
    {"chat.postMessage", "request_timeout", retry},
    {"chat.postMessage", "team_added_to_org", retry},
    {"chat.postMessage", "ekm_access_denied", give_up},
    {"chat.postMessage", "invalid_arguments", give_up},
    {"chat.postMessage", "invalid_arg_name", give_up},
    {"chat.postMessage", "invalid_charset", give_up},
    {"chat.postMessage", "invalid_form_data", give_up},
    {"chat.postMessage", "invalid_post_type", give_up},
    {"chat.postMessage", "missing_post_type", give_up},
    {"chat.postMessage", "invalid_json", give_up},
    {"chat.postMessage", "json_not_object", give_up},
    {"chat.update", "cant_update_message", post_new},
    {"chat.update", "edit_window_closed", post_new},
    {"chat.update", "message_not_found", post_new},
    {"chat.update", "is_inactive", give_up},
    {"conversations.setTopic", "too_long", give_up},
    {"bookmarks.add", "invalid_link", give_up},
    {"bookmarks.add", "too_many_tabs", give_up},
    {"bookmarks.add", "too_many_requests", retry},
    {"conversations.invite", "too_many_users", give_up},
    {"conversations.invite", "user_is_bot", give_up},
    {"conversations.invite", "ura_max_channels", give_up},
    {"conversations.invite", "method_not_supported_for_channel_type", give_up},
    {"chat.postMessage", "missing_charset", give_up},
    {"conversations.members", "fetch_members_failed", retry},
    {"conversations.members", "invalid_cursor", give_up},
    {"conversations.members", "invalid_limit", give_up},
    {"conversations.members", "channel_not_found", give_up},
};

}  // namespace

TEST_CASE("slack errors: each error the bot can meet has its disposition", "[slack_errors]") {
  for (const auto& expected : expectations) {
    INFO(expected.method << " " << expected.error);
    CHECK(is_known_slack_error(expected.method, expected.error));
    CHECK(to_string(classify_slack_error(expected.method, expected.error)) == to_string(expected.disposition));
  }
}

TEST_CASE("slack errors: an error missing from the table is given up, not retried", "[slack_errors]") {
  CHECK_FALSE(is_known_slack_error("chat.postMessage", "some_future_error"));
  CHECK(classify_slack_error("chat.postMessage", "some_future_error") == Disposition::give_up);
  CHECK(classify_slack_error("", "") == Disposition::give_up);
}

TEST_CASE("slack errors: a method-specific row wins over the any-method row", "[slack_errors]") {
  CHECK(classify_slack_error("chat.update", "message_not_found") == Disposition::post_new);
  CHECK(classify_slack_error("pins.add", "message_not_found") == Disposition::give_up);
  CHECK(classify_slack_error("chat.postEphemeral", "user_not_in_channel") == Disposition::give_up);
  CHECK_FALSE(is_known_slack_error("chat.postMessage", "user_not_in_channel"));
}

TEST_CASE("slack errors: the table has one row per (method, error), each with its reason", "[slack_errors]") {
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& rule : slack_error_rules()) {
    INFO(rule.method << " " << rule.error);
    CHECK(seen.emplace(std::string(rule.method), std::string(rule.error)).second);
    CHECK_FALSE(rule.why.empty());
    CHECK(rule.disposition != Disposition::ok);
    CHECK(to_string(rule.disposition) != "unknown");
  }
  CHECK(seen.size() >= 80);
}
