#pragma once
// The small interface every chat offers the delivery engine. A translator (Slack, Mattermost)
// turns each call into its chat's wire format and its answer into a ChatAnswer; it decides no
// order, no retry and no lifecycle: the engine does.
#include "bot/core/platform.hpp"
#include "workflows/incident.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace incident_bot::bot {

struct ChatAnswer {
  enum class Status {
    done,          // it holds now (or held already)
    retry,         // a transient failure: the same call may succeed later
    rate_limited,  // wait retry_after, then try again
    unknown,       // the call went out and no answer came: it may have taken effect
    failed,        // it can never succeed as it is (a permanent error, a refused scope or token)
    name_taken,    // create_channel: that name exists
    gone,          // edit: that message can no longer be edited
  };
  Status status = Status::failed;
  std::string value;  // what was made or found: a channel id, a message ref; empty when nothing was found
  std::string error;  // the chat's own word for what went wrong
  Seconds retry_after = 0;
  bool made_by_this_bot = false;  // find_channel: the bot itself created that channel
  std::vector<std::string> values;  // what was found when it is a list: channel_members' user ids

  static ChatAnswer done(std::string value = {}) { return {Status::done, std::move(value), {}, 0, false}; }
  static ChatAnswer failure(std::string error) { return {Status::failed, {}, std::move(error), 0, false}; }
  bool ok() const { return status == Status::done; }
};

// One post as the engine hands it over.
struct OutgoingPost {
  std::string channel;        // a channel id or name; for a direct post, the person
  RenderedMessage message;    // in the chat's markup
  std::int64_t row_id = 0;    // carried in the post, so that an attempt in doubt can be found
  std::int64_t card_of = 0;   // the incident whose card this is; 0 for every other post
};

class ChatTranslator {
 public:
  virtual ~ChatTranslator() = default;
  virtual const PlatformTraits& traits() const = 0;

  // The chat's name for an incident's channel: attempt 1 is the plain name, later ones a variant.
  virtual std::string channel_name(const Incident& incident, int attempt) const = 0;
  virtual boost::asio::awaitable<ChatAnswer> create_channel(std::string name, Incident incident) = 0;
  // value: the channel's id, empty when no channel has that name.
  virtual boost::asio::awaitable<ChatAnswer> find_channel(std::string name) = 0;
  // value: the message ref.
  virtual boost::asio::awaitable<ChatAnswer> post(OutgoingPost post) = 0;
  virtual boost::asio::awaitable<ChatAnswer> direct(OutgoingPost post) = 0;
  // value: the ref of the post carrying post.row_id among the channel's (or person's) recent ones; empty when none.
  virtual boost::asio::awaitable<ChatAnswer> find_post(OutgoingPost post, bool direct) = 0;
  virtual boost::asio::awaitable<ChatAnswer> edit(std::string channel_id, std::string message_ref, OutgoingPost post) = 0;
  virtual boost::asio::awaitable<ChatAnswer> pin(std::string channel_id, std::string message_ref) = 0;
  virtual boost::asio::awaitable<ChatAnswer> invite(std::string channel_id, std::string user) = 0;
  virtual boost::asio::awaitable<ChatAnswer> set_topic(std::string channel_id, std::string topic) = 0;
  virtual boost::asio::awaitable<ChatAnswer> ephemeral(std::string channel, std::string user, RenderedMessage message) = 0;
  // values: the user ids of everyone in the channel, every page of them.
  virtual boost::asio::awaitable<ChatAnswer> channel_members(std::string channel_id) = 0;
};

}  // namespace incident_bot::bot
