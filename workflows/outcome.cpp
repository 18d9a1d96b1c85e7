#include "workflows/outcome.hpp"

#include <array>
#include <utility>

namespace incident_bot::workflows {

namespace {

// The names the store keeps: changing one is a migration.
constexpr std::array<std::pair<PostKind, std::string_view>, 11> kind_names{{
    {PostKind::card, "card"},
    {PostKind::update, "update"},
    {PostKind::announcement, "announcement"},
    {PostKind::reminder, "reminder"},
    {PostKind::notice, "notice"},
    {PostKind::postmortem, "postmortem"},
    {PostKind::direct, "direct"},
    {PostKind::reply, "reply"},
    {PostKind::ephemeral, "ephemeral"},
    {PostKind::invite, "invite"},
    {PostKind::topic, "topic"},
}};

}  // namespace

std::string_view to_string(PostKind kind) {
  for (const auto& [known, name] : kind_names)
    if (known == kind) return name;
  return "notice";
}

std::optional<PostKind> post_kind_named(std::string_view name) {
  for (const auto& [kind, known] : kind_names)
    if (known == name) return kind;
  // "text" was written by earlier versions for plain posts.
  if (name == "text") return PostKind::notice;
  return std::nullopt;
}

}  // namespace incident_bot::workflows
