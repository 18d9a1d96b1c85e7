#include "bot/slack/signature.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {
// The published test vector (Slack's docs and python-slack-sdk's tests).
constexpr std::string_view secret = "8f742231b10e8888abcd99yyyzzz85a5";
constexpr std::string_view timestamp = "1531420618";
constexpr std::string_view body =
    "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar"
    "&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com"
    "%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121."
    "803a0bc887a14d10d2c447fce8b6703c";
constexpr std::string_view expected = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
constexpr Timestamp sent = 1531420618;
}  // namespace

TEST_CASE("the published Slack test vector signs as documented") {
  CHECK(bot::slack_signature(secret, timestamp, body) == expected);
  CHECK(bot::slack_signature_problem(secret, timestamp, expected, body, sent + 10).empty());
}

TEST_CASE("a signature is refused when anything differs") {
  CHECK(bot::slack_signature_problem(secret, timestamp, expected, std::string(body) + "x", sent) == "signature mismatch");
  CHECK(bot::slack_signature_problem("another secret", timestamp, expected, body, sent) == "signature mismatch");
  std::string flipped(expected);
  flipped.back() = '0';
  CHECK(bot::slack_signature_problem(secret, timestamp, flipped, body, sent) == "signature mismatch");
  CHECK(bot::slack_signature_problem(secret, timestamp, "v0=abc", body, sent) == "signature mismatch");
}

TEST_CASE("a timestamp more than five minutes away is stale, either way") {
  CHECK(bot::slack_signature_problem(secret, timestamp, expected, body, sent + 300).empty());
  CHECK(bot::slack_signature_problem(secret, timestamp, expected, body, sent + 301) == "stale timestamp");
  CHECK(bot::slack_signature_problem(secret, timestamp, expected, body, sent - 301) == "stale timestamp");
}

TEST_CASE("missing or malformed headers are named") {
  CHECK(bot::slack_signature_problem(secret, "", expected, body, sent) == "missing X-Slack-Request-Timestamp");
  CHECK(bot::slack_signature_problem(secret, timestamp, "", body, sent) == "missing X-Slack-Signature");
  CHECK(bot::slack_signature_problem(secret, "12ab", expected, body, sent) == "malformed timestamp");
}
