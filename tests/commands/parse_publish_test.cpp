#include "parse_support.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("publish takes a public status, the public text, then impact and components", "[publish]") {
  const auto publish = parse_as<Publish>("publish identified Card payments fail for some customers impact:major "
                                         "components:Checkout,web-app");
  CHECK(publish.status == PublicStatus::identified);
  CHECK(publish.text == "Card payments fail for some customers");
  CHECK(publish.impact == Impact::major);
  CHECK(publish.components == std::vector<std::string>{"Checkout", "web-app"});

  const auto plain = parse_as<Publish>("INC-3 publish RESOLVED All payments work again");
  CHECK(plain.status == PublicStatus::resolved);
  CHECK(plain.text == "All payments work again");
  CHECK_FALSE(plain.impact);
  CHECK(plain.components.empty());
  // Options may come in either order; a word that merely contains a colon stays text.
  const auto reordered = parse_as<Publish>("publish monitoring Fix deployed at 14:05 components:api impact:minor");
  CHECK(reordered.text == "Fix deployed at 14:05");
  CHECK(reordered.impact == Impact::minor);
}

TEST_CASE("publish alone shows, title and approve are their own commands", "[publish]") {
  parse_as<PublishShow>("publish");
  parse_as<PublishShow>("publish show");
  parse_as<PublishApprove>("publish approve");
  CHECK(parse_as<PublishTitle>("publish title Payments degraded <script>").title == "Payments degraded <script>");
  CHECK(parse_as<Unpublish>("unpublish Posted for the wrong incident").reason == "Posted for the wrong incident");
}

TEST_CASE("publish errors name what is wrong and carry the usage", "[publish]") {
  const auto unknown = parse_error("publish fixed It works");
  CHECK(unknown.message ==
        "unknown public status 'fixed', expected investigating, identified, monitoring or resolved, title or approve");
  CHECK_THAT(unknown.usage, Catch::StartsWith("publish [<investigating|identified|monitoring|resolved>"));
  CHECK(parse_error("publish identified").message == "missing the public text of the update");
  CHECK(parse_error("publish identified impact:major").message == "missing the public text of the update");
  CHECK(parse_error("publish identified Slow impact:huge").message ==
        "impact 'huge' is not none, minor, major or critical");
  CHECK(parse_error("publish identified Slow impact:minor impact:major").message == "impact: is given twice");
  CHECK(parse_error("publish identified Slow components:,").message ==
        "components: needs names, such as components:checkout,api");
  CHECK(parse_error("publish title").message == "missing public title");
  CHECK(parse_error("publish approve now").message == "publish takes no arguments, got 'now'");
  CHECK(parse_error("unpublish").message == "missing reason");
  CHECK(parse_error("unpublish").usage == "unpublish <reason>");
  CHECK_THAT(parse_error("publish identified " + std::string(3000, 'x')).message, Catch::Contains("public text"));
}
