// What the delivery engine does per kind of row, against each chat's stand-in: posts and cards
// whose answer was lost are found before they are sent again, a channel that cannot be created
// fails its rows and is reported once, and a channel made by a creation in doubt is adopted.
#include "fakes/delivery_worlds.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace incident_bot;
using namespace std::chrono_literals;

namespace {

const std::string incident_channel = "inc-1-pixel-broken";

// The open or failed row of that kind, once there is one.
std::optional<store::OutboxRow> row_of_kind(fakes::DeliveryWorld& world, workflows::PostKind kind) {
  for (const auto& listed : world.undelivered())
    if (listed.row.kind == kind) return listed.row;
  return std::nullopt;
}

// Once the engine has recorded an answer that leaves the row open and in doubt.
bool left_in_doubt(fakes::DeliveryWorld& world, workflows::PostKind kind) {
  return fakes::eventually(
      [&] {
        const auto row = row_of_kind(world, kind);
        return row && row->attempts >= 1 && row->in_doubt;
      },
      5s);
}

std::size_t containing(const std::vector<fakes::ChatMessage>& messages, const std::string& part) {
  return static_cast<std::size_t>(std::count_if(messages.begin(), messages.end(), [&](const auto& message) {
    return message.text.find(part) != std::string::npos;
  }));
}

}  // namespace

TEST_CASE("delivery: a post made but never answered is found on the next attempt, not sent again") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    const std::string channel = world->announce_channel();
    world->drop_posts(1);
    const auto id = world->enqueue_notice(channel, "made, its answer lost");
    world->wake();
    REQUIRE(world->wait_for_posts(channel, 1, 5s));
    REQUIRE(left_in_doubt(*world, workflows::PostKind::notice));

    world->bot().advance(10);  // past the retry wait
    world->wake();
    REQUIRE(world->wait_until_delivered(id, 5s));
    const auto messages = world->messages_in(channel);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].outbox_id == id);
    CHECK(messages[0].text == "made, its answer lost");
    CHECK(world->post_calls() == 1);
  }
}

TEST_CASE("delivery: a card made but never answered is found in its channel and pinned, not posted twice") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    world->drop_posts(1);  // the card is the first post
    world->command("declare Pixel broken");
    REQUIRE(left_in_doubt(*world, workflows::PostKind::card));

    world->bot().advance(10);
    world->wake();
    REQUIRE(world->wait_until_settled(5s));
    CHECK(world->failed_rows().empty());
    const auto in_channel = world->messages_in(world->incident_channel_id(incident_channel));
    REQUIRE(in_channel.size() == 1);
    CHECK_THAT(in_channel[0].text, Catch::Contains("INC-1 · Pixel broken"));
    CHECK(containing(world->messages_in(world->announce_channel()), "INC-1") == 1);  // the announcement, once
  }
}

TEST_CASE("delivery: a channel that cannot be created fails its rows and is reported once where people look") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    const std::string refusal = world->refuse_channel_creation();
    world->command("declare Pixel broken");
    REQUIRE(world->wait_until_settled(5s));

    const auto failed = world->failed_rows();
    REQUIRE(failed.size() == 3);  // the card, the declarer's invitation, the topic
    CHECK(failed[0].kind == workflows::PostKind::card);
    for (const auto& row : failed) {
      INFO(workflows::to_string(row.kind));
      CHECK(row.last_error == "channel " + incident_channel + " could not be created: " + refusal);
    }
    const auto announced = world->messages_in(world->announce_channel());
    REQUIRE(containing(announced, "could not be created") == 1);
    CHECK(containing(announced, "INC-1: its channel " + incident_channel + " could not be created") == 1);
    CHECK(containing(announced, refusal) == 1);
    CHECK(world->channels_created() == 0);
    CHECK(world->channel_names_asked().size() == 1);  // a refusal is not tried again under other names
  }
}

TEST_CASE("delivery: a channel made by a creation whose answer was lost is adopted, not made a second time") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    world->drop_channel_creation();
    world->command("declare Pixel broken");
    REQUIRE(left_in_doubt(*world, workflows::PostKind::card));
    CHECK(world->post_calls() == 0);

    world->bot().advance(10);
    world->wake();
    REQUIRE(world->wait_until_settled(5s));
    CHECK(world->failed_rows().empty());
    CHECK(world->channels_created() == 1);
    CHECK(world->channel_names_asked() == std::vector<std::string>{incident_channel, incident_channel});
    const std::string id = world->incident_channel_id(incident_channel);
    REQUIRE_FALSE(id.empty());
    const auto in_channel = world->messages_in(id);
    REQUIRE(in_channel.size() == 1);
    CHECK_THAT(in_channel[0].text, Catch::Contains("INC-1 · Pixel broken"));
  }
}

TEST_CASE("delivery: a card in doubt is not posted again while the look for it fails") {
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name) {
    auto world = chat.make();
    world->start();
    world->drop_posts(1);
    world->command("declare Pixel broken");
    REQUIRE(left_in_doubt(*world, workflows::PostKind::card));
    const auto card = row_of_kind(*world, workflows::PostKind::card)->id;

    world->fail_post_lookups(3);  // every attempt of the next look
    world->bot().advance(10);
    world->wake();
    REQUIRE(fakes::eventually([&] { return world->row(card)->attempts >= 2; }, 5s));
    CHECK(world->row(card)->in_doubt);
    CHECK_FALSE(world->delivered(card));
    CHECK(world->post_calls() == 1);

    world->bot().advance(10);
    world->wake();
    REQUIRE(world->wait_until_settled(5s));
    CHECK(world->messages_in(world->incident_channel_id(incident_channel)).size() == 1);
  }
}

TEST_CASE("delivery: a creation in doubt stays in doubt through a later failure: the channel is still adopted") {
  // After the lost answer, the next creation fails with a 5xx, or the look for the channel does.
  const bool lookup_fails = GENERATE(false, true);
  const std::string then = lookup_fails ? ", the look fails" : ", the creation fails";
  for (const auto& chat : fakes::delivery_chats()) DYNAMIC_SECTION(chat.name << then) {
    auto world = chat.make();
    world->start();
    world->drop_channel_creation();
    world->command("declare Pixel broken");
    REQUIRE(left_in_doubt(*world, workflows::PostKind::card));
    const auto card = row_of_kind(*world, workflows::PostKind::card)->id;

    if (lookup_fails) world->fail_channel_lookups(3);
    else world->fail_channel_creation(3);
    world->bot().advance(10);
    world->wake();
    REQUIRE(fakes::eventually([&] { return world->row(card)->attempts >= 2; }, 5s));
    CHECK_FALSE(world->delivered(card));

    world->bot().advance(10);
    world->wake();
    REQUIRE(world->wait_until_settled(5s));
    CHECK(world->failed_rows().empty());
    CHECK(world->channels_created() == 1);
    for (const auto& name : world->channel_names_asked()) CHECK(name == incident_channel);
    CHECK(world->messages_in(world->incident_channel_id(incident_channel)).size() == 1);
  }
}
