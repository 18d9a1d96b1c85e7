#include "bot/core/public_ids.hpp"

#include <catch2/catch.hpp>

#include <set>

TEST_CASE("public ids are 12 characters of a-z and 0-9, and do not repeat") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = incident_bot::bot::fresh_public_id();
    CHECK(id.size() == 12);
    CHECK(id.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789") == std::string::npos);
    seen.insert(id);
  }
  CHECK(seen.size() == 1000);
}
