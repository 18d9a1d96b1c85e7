#pragma once
// What the Mattermost stand-in remembers between requests: channels with their creators, direct
// channels, and every post, so that a client can read back what it sent (GET /channels/{id}/posts,
// GET /teams/{id}/channels/name/{name}) as it would from Mattermost. MattermostServer owns one and
// holds its mutex around every use; nothing here is locked.
#include "fakes/mattermost_server.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::fakes {

struct MattermostChannel {
  std::string id;
  std::string name;
  std::string display_name;
  std::string type = "O";  // O public, P private, D direct
  std::string team_id;     // "" for a channel added by a test: answered with the team asked for
  std::string creator_id;  // "" as for town-square, which nobody created
  std::int64_t create_at = 0;
};

class MattermostTeam {
 public:
  explicit MattermostTeam(std::string bot_id) : bot_id_(std::move(bot_id)) {}

  std::string new_id(std::string_view stem);  // stem000…n, n counting every id handed out
  std::int64_t now_ms();  // the wall clock in milliseconds, strictly increasing from call to call

  // Channels by name; adding a name again replaces that channel.
  const MattermostChannel& add_channel(MattermostChannel channel);
  const MattermostChannel* channel_named(std::string_view name) const;
  bool knows_channel(std::string_view channel_id) const;  // added, created, direct, or posted in
  const MattermostChannel* channel_with_id(std::string_view channel_id) const;  // added, created or direct
  // Mattermost's one direct channel of two users, named "<id>__<id>" (ids sorted); opened on first use.
  const MattermostChannel& direct_channel(const std::string& user_id, const std::string& other_user_id);
  std::string direct_channel_name(const std::string& user_id, const std::string& other_user_id) const;

  MattermostPost& add_post(std::string channel_id, std::string message, boost::json::object props);
  MattermostPost* post(std::string_view post_id);
  const std::vector<MattermostPost>& posts() const { return posts_; }
  // GET /channels/{id}/posts: {order:[ids newest first], posts:{id: post}, next_post_id:"",
  // prev_post_id:"", has_next: whether an older page follows}
  boost::json::object page_of_posts(std::string_view channel_id, std::size_t page, std::size_t per_page) const;

  // GET /channels/{id}/members: the creator (who is in the channel they made), then everyone added, once each,
  // as ChannelMember objects.
  static boost::json::array page_of_members(const MattermostChannel& channel, const std::vector<std::string>& added,
                                            std::size_t page, std::size_t per_page);

  boost::json::object described(const MattermostPost& post) const;  // as the API answers a post
  static boost::json::object described(const MattermostChannel& channel);  // as the API answers a channel

 private:
  std::string bot_id_;
  std::map<std::string, MattermostChannel, std::less<>> channels_;  // by name
  std::vector<MattermostPost> posts_;                               // in creation order
  int ids_made_ = 0;
  std::int64_t last_ms_ = 0;
};

}  // namespace incident_bot::fakes
