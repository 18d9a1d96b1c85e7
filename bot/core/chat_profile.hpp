#pragma once
// One profile per chat, built once at start-up: how it renders (its traits), what rules it keeps
// (its policy: the announcement channel), which templates it renders with, and the API it is
// delivered through. The dispatcher, the scheduler and the delivery engine all read this one.
#include "bot/core/chat.hpp"
#include "bot/core/platform.hpp"
#include "templates/render.hpp"
#include "workflows/policy.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace incident_bot::bot {

struct ChatProfile {
  PlatformTraits traits;
  workflows::Policy policy;
  std::shared_ptr<const templates::Library> library;  // null: the built-in templates
  ChatTranslator* translator = nullptr;  // its API; null for the console, or a chat without its bot token here
};

std::shared_ptr<const ChatProfile> make_profile(PlatformTraits traits, workflows::Policy policy,
                                                std::shared_ptr<const templates::Library> library = nullptr);

// The profiles by chat name; an incident of a chat with none here renders as that chat would, with the fallback's rules.
class ChatProfiles {
 public:
  explicit ChatProfiles(std::shared_ptr<const ChatProfile> fallback) : fallback_(std::move(fallback)) {}
  void add(std::shared_ptr<const ChatProfile> profile) { by_name_[profile->traits.name] = std::move(profile); }
  std::shared_ptr<const ChatProfile> of(std::string_view chat) const;

 private:
  std::shared_ptr<const ChatProfile> fallback_;
  std::map<std::string, std::shared_ptr<const ChatProfile>, std::less<>> by_name_;
};

}  // namespace incident_bot::bot
