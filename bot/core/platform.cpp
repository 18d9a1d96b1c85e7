#include "bot/core/platform.hpp"

#include <boost/json.hpp>

namespace incident_bot::bot {

namespace json = boost::json;

PlatformTraits console_platform() { return PlatformTraits{}; }

PlatformTraits slack_platform(bool incident_channels) {
  // 12,000: the text stays far below chat.postMessage's 40,000 and the blocks at a few 3,000-byte sections.
  return PlatformTraits{"slack", templates::Markup::mrkdwn, incident_channels, true, true, true, true, 12'000};
}

PlatformTraits mattermost_platform(bool incident_channels) {
  // Below the 16,383 characters of a post, with room for the Markdown conversion to grow a little.
  return PlatformTraits{"mattermost", templates::Markup::markdown, incident_channels, true, false, true, true, 14'000};
}

PlatformTraits platform_named(std::string_view name) {
  if (name == "slack") return slack_platform(true);
  if (name == "mattermost") return mattermost_platform(true);
  return console_platform();
}

RenderedMessage render_message(const workflows::Message& message, const templates::RenderContext& context,
                               const PlatformTraits& platform) {
  RenderedMessage rendered{templates::convert(templates::render(message, context), platform.markup), {}};
  if (platform.block_kit) rendered.blocks = templates::blocks(message, context);
  return rendered;
}

std::string outbox_payload(const RenderedMessage& message) {
  if (message.blocks.empty()) return message.text;
  boost::system::error_code ec;
  json::value blocks = json::parse(message.blocks, ec);
  if (ec || !blocks.is_array()) return message.text;
  return json::serialize(json::object{{"text", message.text}, {"blocks", std::move(blocks)}});
}

RenderedMessage read_outbox_payload(const std::string& payload) {
  if (payload.empty() || payload.front() != '{') return {payload, {}};
  boost::system::error_code ec;
  const json::value value = json::parse(payload, ec);
  if (ec || !value.is_object()) return {payload, {}};
  const auto& object = value.as_object();
  const auto* text = object.if_contains("text");
  const auto* blocks = object.if_contains("blocks");
  if (!text || !text->is_string()) return {payload, {}};
  return {std::string(text->as_string()), blocks && blocks->is_array() ? json::serialize(*blocks) : std::string{}};
}

}  // namespace incident_bot::bot
