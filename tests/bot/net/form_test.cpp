#include "bot/net/form.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;

TEST_CASE("form fields are percent-decoded with + as space") {
  const auto fields = bot::parse_form("command=%2Fincident&text=declare+Checkout+%26+pixel+down&empty=&flag");
  REQUIRE(fields);
  CHECK(bot::field(*fields, "command") == "/incident");
  CHECK(bot::field(*fields, "text") == "declare Checkout & pixel down");
  CHECK(bot::field(*fields, "empty").empty());
  CHECK(fields->count("flag") == 1);
  CHECK(bot::field(*fields, "absent").empty());
}

TEST_CASE("UTF-8 arrives percent-encoded and leaves intact") {
  CHECK(bot::parse_form("text=caf%C3%A9")->at("text") == "café");
}

TEST_CASE("malformed escapes are refused, not guessed") {
  CHECK_FALSE(bot::parse_form("text=100%"));
  CHECK_FALSE(bot::parse_form("text=%4"));
  CHECK_FALSE(bot::parse_form("text=%zz"));
}

TEST_CASE("the first of repeated fields wins; empty pairs are skipped") {
  const auto fields = bot::parse_form("a=1&&a=2&");
  CHECK(fields->at("a") == "1");
}

TEST_CASE("percent_encode round-trips through decode") {
  const std::string text = "declare <!channel> & 50% off / ünïcode";
  CHECK(bot::percent_decode(bot::percent_encode(text)) == text);
}

TEST_CASE("parse_form_pairs keeps every field in order, repeated ones too") {
  const auto pairs = bot::parse_form_pairs("user_mentions=bob&user_mentions_ids=b1&user_mentions=carol&user_mentions_ids=c1&x=%ZZ");
  CHECK_FALSE(pairs);
  const auto good = bot::parse_form_pairs("user_mentions=bob&user_mentions_ids=b1&user_mentions=carol&user_mentions_ids=c1");
  REQUIRE(good);
  REQUIRE(good->size() == 4);
  CHECK((*good)[2] == std::pair<std::string, std::string>("user_mentions", "carol"));
  CHECK(bot::parse_form("a=1&a=2")->at("a") == "1");
}

TEST_CASE("hostile forms: bad escapes anywhere, raw spaces and control bytes are refused") {
  for (const char* bad : {"%", "a=%", "a=%%41", "a=%G1", "a=%C3%A", "%zz=1", "a=1&b=%4", "text=a b", "a=\r\nb", "a=<b>"}) {
    INFO(bad);
    CHECK_FALSE(bot::parse_form_pairs(bad));
  }
  CHECK_FALSE(bot::percent_decode("100%"));
  CHECK_FALSE(bot::percent_decode("%4"));
}

TEST_CASE("forms: + is a space in names and values, %2B is a plus, %00 is kept") {
  const auto pairs = bot::parse_form_pairs("a+b=c+d&plus=%2B1&nul=x%00y&=only+value");
  REQUIRE(pairs);
  REQUIRE(pairs->size() == 4);
  CHECK((*pairs)[0] == std::pair<std::string, std::string>("a b", "c d"));
  CHECK((*pairs)[1].second == "+1");
  CHECK((*pairs)[2].second == std::string("x\0y", 3));
  CHECK((*pairs)[3] == std::pair<std::string, std::string>("", "only value"));
}

TEST_CASE("forms: a large body keeps every field, in order") {
  std::string body;
  for (int i = 0; i < 20'000; ++i) body += "user_mentions=u" + std::to_string(i) + "&";
  body += "text=" + std::string(500'000, 'x');
  const auto pairs = bot::parse_form_pairs(body);
  REQUIRE(pairs);
  REQUIRE(pairs->size() == 20'001);
  CHECK((*pairs)[19'999].second == "u19999");
  CHECK(pairs->back().second.size() == 500'000);
  CHECK_FALSE(bot::parse_form_pairs(body + "%"));
}

TEST_CASE("forms: an empty body, or one cut out of a longer buffer, is read within its bounds") {
  const std::string buffer = "a=1&b=2";
  CHECK(bot::parse_form_pairs(std::string_view(buffer.data(), 0))->empty());
  const auto first = bot::parse_form_pairs(std::string_view(buffer.data(), 3));
  REQUIRE(first);
  REQUIRE(first->size() == 1);
  CHECK((*first)[0].second == "1");
  CHECK_FALSE(bot::parse_form_pairs(std::string_view("a=1\0&b=2", 8)));  // a raw NUL is no form
}
