#include "bot/mattermost/markup.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

const std::string bob_id = "bob00000000000000000000001";
const std::string carol_id = "carol000000000000000000001";

std::optional<std::string> name_of(std::string_view id) {
  if (id == bob_id) return std::string("bob");
  if (id == carol_id) return std::string("carol.smith");
  return std::nullopt;
}

}  // namespace

TEST_CASE("mattermost: @names become <@id|name> from the command's mentions, then from what is known") {
  const bot::MentionIds mentions{{"bob", bob_id}};
  const auto known = [](std::string_view name) -> std::optional<std::string> {
    if (name == "carol.smith") return carol_id;
    return std::nullopt;
  };
  CHECK(bot::mentions_as_ids("role owner @bob", mentions, known) == "role owner <@" + bob_id + "|bob>");
  CHECK(bot::mentions_as_ids("ask @carol.smith.", mentions, known) == "ask <@" + carol_id + "|carol.smith>.");
  CHECK(bot::mentions_as_ids("@dan and mail@bob.example", mentions, known) == "@dan and mail@bob.example");
  CHECK(bot::mentions_as_ids("next: check @bob", mentions, nullptr) == "next: check <@" + bob_id + "|bob>");
}

TEST_CASE("mattermost: @ids read as @names again — unknown ids and other words stay") {
  CHECK(bot::mentions_as_names("owner @" + bob_id + ", comms @" + carol_id, name_of) == "owner @bob, comms @carol.smith");
  CHECK(bot::mentions_as_names("@zzzz0000000000000000000001 and @bob", name_of) == "@zzzz0000000000000000000001 and @bob");
  CHECK(bot::mentions_as_names("no mentions here", name_of) == "no mentions here");
}

TEST_CASE("mattermost: broadcasts echoed from user text notify no one") {
  CHECK(bot::mentions_as_names("Title @channel and @ALL, @here", name_of) ==
        "Title @\u200Bchannel and @\u200BALL, @\u200Bhere");
  CHECK(bot::mentions_as_names("@channels", name_of) == "@channels");
}

TEST_CASE("mattermost: mentioned_ids lists each id once, in order") {
  CHECK(bot::mentioned_ids("@" + carol_id + " @" + bob_id + " @" + carol_id + " @bob") ==
        std::vector<std::string>{carol_id, bob_id});
}

TEST_CASE("mattermost: no spelling of a broadcast survives, whatever surrounds it") {
  const std::string zw = "\u200B";
  // What the templates hand over after mrkdwn -> Markdown: user text with < > & unescaped.
  const std::pair<std::string, std::string> rows[] = {
      {"<@channel> checkout down", "<@" + zw + "channel> checkout down"},
      {"<@here>", "<@" + zw + "here>"},
      {"Pixel <@ALL>", "Pixel <@" + zw + "ALL>"},
      {"@Channel!", "@" + zw + "Channel!"},
      {"ask @here: now", "ask @" + zw + "here: now"},
      {"x.@channel", "x.@" + zw + "channel"},
      {"end-@here", "end-@" + zw + "here"},
      {"[@channel](https://example.com/@here)", "[@" + zw + "channel](https://example.com/@" + zw + "here)"},
      {zw + "@all", zw + "@" + zw + "all"},
      {"é@here", "é@" + zw + "here"},
      {"owner @" + bob_id + " and @here", "owner @bob and @" + zw + "here"},
  };
  for (const auto& [text, sent] : rows) {
    INFO(text);
    CHECK(bot::mentions_as_names(text, name_of) == sent);
  }
  // A user whose name only starts with a broadcast word keeps the mention the bot writes in.
  const auto all_hands = [](std::string_view id) -> std::optional<std::string> {
    if (id == bob_id) return std::string("all.hands");
    return std::nullopt;
  };
  CHECK(bot::mentions_as_names("owner @" + bob_id, all_hands) == "owner @all.hands");
}
