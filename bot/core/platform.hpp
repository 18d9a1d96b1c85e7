#pragma once
// What each chat can do, and how a message is rendered for it.
#include "templates/render.hpp"

#include <string>
#include <string_view>

namespace incident_bot::bot {

struct PlatformTraits {
  std::string name = "console";
  templates::Markup markup = templates::Markup::plain;
  bool incident_channels = false;  // invite people and keep the topic of an incident's own channel
  bool editable_card = false;      // the card is one message, edited as the incident changes
  bool block_kit = false;          // messages carry Slack blocks beside their text
  bool direct_messages = false;    // reminders may also go to a person directly
  bool channel_members = false;    // the chat says who is in a channel: its members may see a private incident there
  // Bytes of mrkdwn a timeline or postmortem may take: the newest timeline entries that fit are shown.
  std::size_t message_limit = 100'000;
};

PlatformTraits console_platform();
PlatformTraits slack_platform(bool incident_channels);
PlatformTraits mattermost_platform(bool incident_channels);
// The traits of a platform by its name, as stored with each incident; unknown names are the console.
PlatformTraits platform_named(std::string_view name);

struct RenderedMessage {
  std::string text;    // in the platform's markup
  std::string blocks;  // a Block Kit JSON array; empty where the platform has none
};
RenderedMessage render_message(const workflows::Message& message, const templates::RenderContext& context,
                               const PlatformTraits& platform);

// What the outbox keeps for a post: the text, or for Block Kit chats {"text": …, "blocks": […]}.
std::string outbox_payload(const RenderedMessage& message);
RenderedMessage read_outbox_payload(const std::string& payload);

}  // namespace incident_bot::bot
