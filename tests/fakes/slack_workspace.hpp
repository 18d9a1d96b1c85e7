#pragma once
// What the Slack Web API stand-in remembers between calls: channels with their creators and members,
// direct message channels, and every message posted, so that a client can read back what it sent
// (conversations.history / .list / .open) as it would from Slack. SlackApiServer owns one and
// holds its mutex around every use; nothing here is locked.
#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::fakes {

class SlackWorkspace {
 public:
  static constexpr const char* bot_user_id = "UBOT";  // auth.test's user_id: the poster and creator
  static constexpr const char* bot_id = "B1";
  static constexpr const char* foreign_creator = "U0OTHER";
  // Every channel's "created": the second every fake message ts falls in, so no message predates its channel.
  static constexpr std::int64_t created_at = 1'700'000'000;

  // Each answers a method's whole JSON body ("ok" included) from the call's JSON arguments.
  boost::json::object post_message(const boost::json::object& args);   // chat.postMessage
  boost::json::object update_message(const boost::json::object& args); // chat.update
  boost::json::object create_channel(const boost::json::object& args); // conversations.create
  boost::json::object history(const boost::json::object& args) const; // conversations.history
  boost::json::object list(const boost::json::object& args) const;    // conversations.list
  boost::json::object open(const boost::json::object& args);          // conversations.open
  boost::json::object invite(const boost::json::object& args);        // conversations.invite
  boost::json::object join(const boost::json::object& args);          // conversations.join
  boost::json::object members(const boost::json::object& args) const; // conversations.members

  std::string next_ts();  // "1700000000.000101", "…102": one sequence for every posted message
  void add_foreign_channel(std::string name, std::string id);
  void add_member(const std::string& channel_id, std::string user_id);  // as if they had joined; once each
  std::vector<boost::json::object> messages_in(std::string_view channel_id) const;  // oldest first
  std::string direct_channel_of(std::string_view user_id) const;  // "" until the user has one
  void clear();  // forgets channels, direct channels and messages; ids and ts are never reused

 private:
  struct Channel {
    std::string id;
    std::string name;
    bool is_private = false;
    std::string creator;
    std::vector<std::string> members;  // in joining order; the creator first
  };

  static boost::json::object described(const Channel& channel);  // as conversations.create and .list show it
  bool knows(std::string_view channel_id) const;
  Channel* channel_of(std::string_view channel_id);
  std::string direct_channel_for(const std::string& user_id);  // opened on first use

  std::vector<Channel> channels_;                                   // in creation order
  std::vector<std::pair<std::string, std::string>> direct_channels_; // user id, D id; in opening order
  std::map<std::string, std::vector<boost::json::object>, std::less<>> messages_;  // by channel id, oldest first
  int channels_created_ = 0;
  int direct_channels_opened_ = 0;
  int messages_posted_ = 0;
};

}  // namespace incident_bot::fakes
