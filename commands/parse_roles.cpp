// role (alias assign): give someone an incident role, or list who holds each role.
#include "commands/grammar.hpp"

namespace incident_bot::commands::grammar {

CommandOrError parse_role(std::string_view arguments) {
  const auto [role_word, user_text] = split_first_word(arguments);
  if (role_word.empty()) return ListRoles{};

  const auto role = role_from(role_word);
  if (!role) {
    if (looks_like_user(role_word))
      return usage_error("role", "write the role before the user, such as role owner " + std::string(role_word));
    return usage_error("role", "unknown role " + quoted(role_word) + ", expected owner, comms, specialist or detector");
  }
  if (user_text.empty()) return usage_error("role", "missing user for the " + std::string(to_string(*role)) + " role");
  if (auto error = too_long("role", "user", user_text)) return *error;

  // The whole rest is one mention: a Slack label such as <@U1|Jane Doe> may contain a space.
  const auto user = user_from(user_text);
  if (!user) {
    if (!user_text.starts_with("<@") && split_words(user_text).size() > 1)
      return usage_error("role", "one user at a time, got " + quoted(user_text));
    return usage_error("role", quoted(user_text) + " is not a user; write @name");
  }
  return AssignRole{*role, *user};
}

}  // namespace incident_bot::commands::grammar
