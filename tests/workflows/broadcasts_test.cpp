#include "workflows/broadcasts.hpp"

#include <catch2/catch.hpp>

using incident_bot::markup::disarm_broadcasts;

TEST_CASE("broadcasts: every spelling of @channel, @here, @all and @everyone is disarmed") {
  const std::string zw = "\u200B";
  const std::pair<std::string, std::string> rows[] = {
      {"@channel", "@" + zw + "channel"},
      {"@here @all @everyone", "@" + zw + "here @" + zw + "all @" + zw + "everyone"},
      {"@CHANNEL @Here @aLL", "@" + zw + "CHANNEL @" + zw + "Here @" + zw + "aLL"},
      {"<@channel>", "<@" + zw + "channel>"},
      {"<!channel|@channel>", "<!channel|@" + zw + "channel>"},
      {"@channel! @here, @all. @everyone?", "@" + zw + "channel! @" + zw + "here, @" + zw + "all. @" + zw + "everyone?"},
      {"x.@here -@all :@channel", "x.@" + zw + "here -@" + zw + "all :@" + zw + "channel"},
      {"@here-team @all.hands @channel:", "@" + zw + "here-team @" + zw + "all.hands @" + zw + "channel:"},
      {"[@here](https://x.example/@channel)", "[@" + zw + "here](https://x.example/@" + zw + "channel)"},
      {"*@here* _@all_ `@channel`", "*@" + zw + "here* _@" + zw + "all_ `@" + zw + "channel`"},
      {zw + "@channel", zw + "@" + zw + "channel"},
      {"@@here", "@@" + zw + "here"},
      {"@all_hands", "@" + zw + "all_hands"},
      {"line\n@here", "line\n@" + zw + "here"},
  };
  for (const auto& [text, disarmed] : rows) {
    INFO(text);
    CHECK(disarm_broadcasts(text) == disarmed);
    CHECK(disarm_broadcasts(disarmed) == disarmed);  // once is enough
  }
}

TEST_CASE("broadcasts: names and addresses that only contain the words stay as written") {
  for (const std::string text : {"@channels", "@allison", "@here2", "mail@here.com", "@",
                                 "@\u200Bchannel", "@chan nel", "plain channel here all", "", "@every one"}) {
    INFO(text);
    CHECK(disarm_broadcasts(text) == text);
  }
}
