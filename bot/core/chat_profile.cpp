#include "bot/core/chat_profile.hpp"

namespace incident_bot::bot {

std::shared_ptr<const ChatProfile> make_profile(PlatformTraits traits, workflows::Policy policy,
                                                std::shared_ptr<const templates::Library> library) {
  return std::make_shared<const ChatProfile>(ChatProfile{std::move(traits), std::move(policy), std::move(library), nullptr});
}

std::shared_ptr<const ChatProfile> ChatProfiles::of(std::string_view chat) const {
  if (const auto found = by_name_.find(chat); found != by_name_.end()) return found->second;
  if (fallback_->traits.name == chat) return fallback_;
  return make_profile(platform_named(chat), fallback_->policy, fallback_->library);
}

}  // namespace incident_bot::bot
