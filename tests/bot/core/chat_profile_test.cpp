#include "bot/core/chat_profile.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("chat profiles: each chat's own, else one rendered as that chat with the fallback's rules") {
  workflows::Policy fallback_policy;
  fallback_policy.announce_channel = "incidents";
  bot::ChatProfiles profiles(bot::make_profile(bot::console_platform(), fallback_policy));
  workflows::Policy mattermost_policy;
  mattermost_policy.announce_channel = "town-square";
  profiles.add(bot::make_profile(bot::mattermost_platform(true), mattermost_policy));

  CHECK(profiles.of("mattermost")->policy.announce_channel == "town-square");
  CHECK(profiles.of("console")->policy.announce_channel == "incidents");
  const auto slack = profiles.of("slack");  // no Slack adapter here: Slack's markup, the fallback's rules
  CHECK(slack->traits.markup == templates::Markup::mrkdwn);
  CHECK(slack->policy.announce_channel == "incidents");
  CHECK(slack->translator == nullptr);
}
