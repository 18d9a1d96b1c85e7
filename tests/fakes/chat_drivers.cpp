// The chat drivers every chat shares, the console's and Mattermost's; Slack's are in slack_drivers.cpp.
#include "fakes/chat_drivers.hpp"

#include "bot/app/policy.hpp"
#include "fakes/http_caller.hpp"
#include "store/store.hpp"
#include "templates/render.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/sinks/null_sink.h>

#include <chrono>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace incident_bot::fakes {

namespace json = boost::json;

std::string ChatDriver::plain(const std::string& text) const {
  return with_people(traits().markup == templates::Markup::mrkdwn ? templates::convert(text, templates::Markup::plain) : text);
}

std::string ChatDriver::person_of(const std::string& id) const {
  for (const auto& person : cast_.people)
    if (id == id_of(person)) return person;
  return "?" + id;
}

std::string ChatDriver::with_people(std::string text) const {
  for (const auto& person : cast_.people)
    text = std::regex_replace(text, std::regex("@" + id_of(person) + "\\b"), "@" + person);
  return text;
}

ConsoleDriver::ConsoleDriver(ChatCast cast)
    : ChatDriver(std::move(cast)),
      db_(store::open(":memory:")),
      dispatcher_(db_, bot::policy_from(bot::Config{}), bot::console_platform(),
                  std::make_shared<spdlog::logger>("console", std::make_shared<spdlog::sinks::null_sink_st>())),
      console_(db_, dispatcher_, bot::ConsoleOptions{}, [start = this->cast().start] { return start; }) {}

Said ConsoleDriver::command(const std::string& person, const std::string& text) {
  std::ostringstream ignored, out;
  console_.handle_line("/as " + person, ignored);
  console_.handle_line("/incident " + text, out);
  // The console prints the reply, then "── #channel ──" and each post indented.
  const std::string post_open = "── #", post_close = " ──";
  std::istringstream lines(out.str());
  Said said{true, {}};
  std::string line;
  bool in_post = false;
  while (std::getline(lines, line)) {
    if (line.starts_with(post_open)) {
      posts_.push_back({line.substr(post_open.size(), line.size() - post_open.size() - post_close.size()), {}});
      in_post = true;
    } else if (in_post) {
      posts_.back().text += (posts_.back().text.empty() ? "" : "\n") + line.substr(std::min<std::size_t>(2, line.size()));
    } else if (line == "(only you can see this)") {
      said.in_channel = false;
    } else {
      said.text += (said.text.empty() ? "" : "\n") + line;
    }
  }
  return said;
}

void RuntimeDriver::settle() {
  using namespace std::chrono_literals;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (;;) {
    bool waiting = false;
    read([&] { waiting = store::next_post_due(db(), traits().name).has_value(); });
    if (!waiting) return;
    if (std::chrono::steady_clock::now() >= deadline)
      throw std::runtime_error(traits().name + ": the outbox was not delivered within 10 s");
    std::this_thread::sleep_for(20ms);
  }
}

Said RuntimeDriver::said_of(const json::value& reply) {
  const auto& body = reply.as_object();
  return {body.at("response_type") == "in_channel", std::string(body.at("text").as_string())};
}

MattermostDriver::MattermostDriver(ChatCast cast) : RuntimeDriver(std::move(cast)) {
  server_.add_channel("incidents", mattermost_id("announce"));
  for (const auto& person : this->cast().people) server_.add_user(id_of(person), person);
  bot::Config config;
  config.mattermost.url = server_.url();
  config.tls.allow_insecure_urls = true;  // the stand-in speaks http:// on loopback
  config.mattermost.team_id = mattermost_id("team");
  config.mattermost.announce_channel = "incidents";
  bot::Secrets secrets;
  secrets.mattermost_command_token = "command-token";
  secrets.mattermost_bot_token = "bot-token";
  bot_ = std::make_unique<RunningBot>(config, secrets, this->cast().start);
}

Said MattermostDriver::command(const std::string& person, const std::string& text) {
  std::map<std::string, std::string> mentions;
  for (const auto& name : cast().people)
    if (std::regex_search(text, std::regex("@" + name + "\\b"))) mentions[name] = id_of(name);
  const auto answer =
      MattermostSender(bot_->port(), "command-token").command(text, mattermost_id("townsquare"), id_of(person), person, mentions);
  if (answer.status != 200)
    throw std::runtime_error("Mattermost command answered HTTP " + std::to_string(answer.status) + ": " + answer.body);
  return said_of(json::parse(answer.body));
}

std::vector<ChatPost> MattermostDriver::received() {
  const std::string incident_channel_id = server_.channel_id(cast().incident_channel);
  std::vector<ChatPost> posts;
  for (const auto& post : server_.posts())
    posts.push_back({post.channel_id == mattermost_id("announce") ? "incidents"
                     : post.channel_id == incident_channel_id     ? cast().incident_channel
                                                                  : post.channel_id,
                     post.message});
  return posts;
}

std::vector<std::string> MattermostDriver::members() {
  std::vector<std::string> added;
  for (const auto& id : server_.members(server_.channel_id(cast().incident_channel))) added.push_back(person_of(id));
  return added;
}

}  // namespace incident_bot::fakes
