#include "bot/net/hmac.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("hmac_sha256_hex gives RFC 4231's answer") {
  CHECK(bot::hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST_CASE("same_secret is equality: same bytes, same length") {
  CHECK(bot::same_secret("token", "token"));
  CHECK_FALSE(bot::same_secret("token", "tokeN"));
  CHECK_FALSE(bot::same_secret("token", "token2"));
  CHECK_FALSE(bot::same_secret("", "x"));
  CHECK(bot::same_secret("", ""));
}
