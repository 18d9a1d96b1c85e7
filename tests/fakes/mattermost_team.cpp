#include "fakes/mattermost_team.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <chrono>

namespace incident_bot::fakes {

namespace json = boost::json;

std::string MattermostTeam::new_id(std::string_view stem) { return mattermost_id(stem, ++ids_made_); }

std::int64_t MattermostTeam::now_ms() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch()).count();
  last_ms_ = std::max<std::int64_t>(now, last_ms_ + 1);  // two posts in one millisecond still sort
  return last_ms_;
}

const MattermostChannel& MattermostTeam::add_channel(MattermostChannel channel) {
  if (channel.create_at == 0) channel.create_at = now_ms();
  auto name = channel.name;
  return channels_[std::move(name)] = std::move(channel);
}

const MattermostChannel* MattermostTeam::channel_named(std::string_view name) const {
  const auto found = channels_.find(name);
  return found == channels_.end() ? nullptr : &found->second;
}

bool MattermostTeam::knows_channel(std::string_view channel_id) const {
  return std::any_of(channels_.begin(), channels_.end(), [&](const auto& entry) { return entry.second.id == channel_id; }) ||
         std::any_of(posts_.begin(), posts_.end(), [&](const MattermostPost& post) { return post.channel_id == channel_id; });
}

const MattermostChannel* MattermostTeam::channel_with_id(std::string_view channel_id) const {
  for (const auto& [name, channel] : channels_)
    if (channel.id == channel_id) return &channel;
  return nullptr;
}

std::string MattermostTeam::direct_channel_name(const std::string& user_id, const std::string& other_user_id) const {
  return std::min(user_id, other_user_id) + "__" + std::max(user_id, other_user_id);
}

const MattermostChannel& MattermostTeam::direct_channel(const std::string& user_id, const std::string& other_user_id) {
  const auto name = direct_channel_name(user_id, other_user_id);
  if (const auto* known = channel_named(name)) return *known;
  return add_channel({.id = new_id("direct"), .name = name, .type = "D"});
}

MattermostPost& MattermostTeam::add_post(std::string channel_id, std::string message, json::object props) {
  const auto id = new_id("post");
  return posts_.emplace_back(MattermostPost{id, std::move(channel_id), std::move(message), false, std::move(props), now_ms()});
}

MattermostPost* MattermostTeam::post(std::string_view post_id) {
  const auto found = std::find_if(posts_.begin(), posts_.end(), [&](const auto& post) { return post.id == post_id; });
  return found == posts_.end() ? nullptr : &*found;
}

json::object MattermostTeam::page_of_posts(std::string_view channel_id, std::size_t page, std::size_t per_page) const {
  std::vector<const MattermostPost*> newest_first;
  for (auto post = posts_.rbegin(); post != posts_.rend(); ++post)
    if (post->channel_id == channel_id) newest_first.push_back(&*post);
  const auto begin = std::min(page * per_page, newest_first.size());
  const auto end = std::min(begin + per_page, newest_first.size());
  json::array order;
  json::object posts;
  for (auto i = begin; i < end; ++i) {
    order.emplace_back(newest_first[i]->id);
    posts[newest_first[i]->id] = described(*newest_first[i]);
  }
  return {{"order", std::move(order)},
          {"posts", std::move(posts)},
          {"next_post_id", ""},
          {"prev_post_id", ""},
          {"has_next", end < newest_first.size()}};
}

json::array MattermostTeam::page_of_members(const MattermostChannel& channel, const std::vector<std::string>& added,
                                            std::size_t page, std::size_t per_page) {
  std::vector<std::string> all;
  if (!channel.creator_id.empty()) all.push_back(channel.creator_id);
  for (const auto& user : added)
    if (std::find(all.begin(), all.end(), user) == all.end()) all.push_back(user);
  json::array listed;
  for (std::size_t i = page * per_page; i < std::min(all.size(), (page + 1) * per_page); ++i)
    listed.push_back(json::object{{"channel_id", channel.id},
                                  {"user_id", all[i]},
                                  {"roles", "channel_user"},
                                  {"last_viewed_at", 0},
                                  {"msg_count", 0},
                                  {"mention_count", 0},
                                  {"notify_props", json::object{{"desktop", "default"}, {"mark_unread", "all"}}},
                                  {"last_update_at", channel.create_at}});
  return listed;
}

json::object MattermostTeam::described(const MattermostPost& post) const {
  return {{"id", post.id},
          {"channel_id", post.channel_id},
          {"user_id", bot_id_},
          {"message", post.message},
          {"props", post.props},
          {"create_at", post.create_at},
          {"is_pinned", post.pinned}};
}

json::object MattermostTeam::described(const MattermostChannel& channel) {
  return {{"id", channel.id},
          {"name", channel.name},
          {"display_name", channel.display_name},
          {"type", channel.type},
          {"team_id", channel.team_id},
          {"creator_id", channel.creator_id},
          {"create_at", channel.create_at}};
}

}  // namespace incident_bot::fakes
