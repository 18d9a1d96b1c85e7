#include "store/store.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("a chat's user ids map to names and back, per platform") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::user_name(db, "mattermost", "u1"));
  store::remember_user(db, "mattermost", "u1", "alice");
  CHECK(store::user_name(db, "mattermost", "u1") == "alice");
  CHECK(store::user_named(db, "mattermost", "alice") == "u1");
  CHECK_FALSE(store::user_name(db, "slack", "u1"));
  CHECK_FALSE(store::user_named(db, "mattermost", "bob"));
}

TEST_CASE("a renamed user keeps the id — empty ids or names are not kept") {
  auto db = store::open(":memory:");
  store::remember_user(db, "mattermost", "u1", "alice");
  store::remember_user(db, "mattermost", "u1", "alice.smith");
  CHECK(store::user_name(db, "mattermost", "u1") == "alice.smith");
  CHECK_FALSE(store::user_named(db, "mattermost", "alice"));
  store::remember_user(db, "mattermost", "", "nobody");
  store::remember_user(db, "mattermost", "u2", "");
  CHECK_FALSE(store::user_named(db, "mattermost", "nobody"));
  CHECK_FALSE(store::user_name(db, "mattermost", "u2"));
}
