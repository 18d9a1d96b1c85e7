#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("declare takes the whole text as the title when there are no options", "[declare]") {
  const auto declare = parse_as<Declare>("declare Checkout payments failing");
  CHECK(declare.title == "Checkout payments failing");
  CHECK_FALSE(declare.severity);
  CHECK_FALSE(declare.layer);
  CHECK_FALSE(declare.is_private);
}

TEST_CASE("declare reads severity, layer and private from the end in any order", "[declare]") {
  const auto declare = parse_as<Declare>("declare Checkout down sev2 layer:conversion private");
  CHECK(declare.title == "Checkout down");
  CHECK(declare.severity == 2);
  CHECK(declare.layer == "conversion");
  CHECK(declare.is_private);

  const auto reordered = parse_as<Declare>("declare Checkout down PRIVATE Layer:Delivery SEV1");
  CHECK(reordered.title == "Checkout down");
  CHECK(reordered.severity == 1);
  CHECK(reordered.layer == "delivery");
  CHECK(reordered.is_private);
}

TEST_CASE("declare reads only trailing options; the same words earlier belong to the title", "[declare]") {
  const auto declare = parse_as<Declare>("declare sev2 private layer:x alerts firing");
  CHECK(declare.title == "sev2 private layer:x alerts firing");
  CHECK_FALSE(declare.severity);
  CHECK_FALSE(declare.is_private);

  const auto mixed = parse_as<Declare>("declare Private key leaked sev1");
  CHECK(mixed.title == "Private key leaked");
  CHECK(mixed.severity == 1);
}

TEST_CASE("declare does not take a bare digit at the end as a severity", "[declare]") {
  const auto declare = parse_as<Declare>("declare Disk full on db 3");
  CHECK(declare.title == "Disk full on db 3");
  CHECK_FALSE(declare.severity);
}

TEST_CASE("declare accepts layer: with a space before the name", "[declare]") {
  const auto declare = parse_as<Declare>("declare Pixel stopped firing layer: Measurement sev3");
  CHECK(declare.title == "Pixel stopped firing");
  CHECK(declare.layer == "measurement");
  CHECK(declare.severity == 3);
}

TEST_CASE("declare keeps the title's inner spacing and case", "[declare]") {
  CHECK(parse_as<Declare>("declare  EU  Checkout:  502s   sev4").title == "EU  Checkout:  502s");
}

TEST_CASE("declare without a title is an error", "[declare]") {
  for (const char* text : {"declare", "declare   ", "declare sev2", "declare private layer:delivery sev1"}) {
    INFO(text);
    const auto error = parse_error(text);
    CHECK(error.message == "missing title");
    CHECK(error.usage == "declare <title> [sev1..sev4] [layer:<name>] [private]");
  }
}

TEST_CASE("declare refuses a bad or repeated trailing option", "[declare]") {
  CHECK(parse_error("declare Checkout down sev5").message == "unknown severity 'sev5', expected sev1..sev4");
  CHECK(parse_error("declare Checkout down sev0").message == "unknown severity 'sev0', expected sev1..sev4");
  CHECK(parse_error("declare Checkout down sev2 sev3").message == "severity given twice");
  CHECK(parse_error("declare Checkout down private private").message == "private given twice");
  CHECK(parse_error("declare Checkout down layer:a layer:b").message == "layer given twice");
  CHECK(contains(parse_error("declare Checkout down layer:").message, "layer: needs a name"));
}

TEST_CASE("declare refuses a title longer than max_field_length", "[declare][limits]") {
  const std::string longest(max_field_length, 't');
  CHECK(parse_as<Declare>("declare " + longest + " sev2").title == longest);
  const auto error = parse_error("declare " + longest + "t sev2");
  CHECK(error.message == "title is too long: 2001 bytes, at most 2000");
}

TEST_CASE("declare refuses an over-long layer name", "[declare][limits]") {
  CHECK(contains(parse_error("declare Down layer:" + std::string(max_field_length + 1, 'l')).message,
                 "layer is too long"));
}

TEST_CASE("decline takes a required reason", "[decline]") {
  CHECK(parse_as<Decline>("decline Expected dip after the campaign ended").reason ==
        "Expected dip after the campaign ended");
  const auto error = parse_error("decline");
  CHECK(error.message == "missing reason");
  CHECK(error.usage == "decline <reason>");
  CHECK(parse_error("decline " + std::string(max_field_length + 1, 'r')).message ==
        "reason is too long: 2001 bytes, at most 2000");
}

TEST_CASE("resolve takes an optional summary", "[resolve]") {
  CHECK(parse_as<Resolve>("resolve").summary.empty());
  CHECK(parse_as<Resolve>("resolve Rollback restored card payments").summary == "Rollback restored card payments");
  CHECK(contains(parse_error("resolve " + std::string(max_field_length + 1, 's')).message, "summary is too long"));
}

TEST_CASE("close alone closes normally", "[close]") {
  const auto close = parse_as<Close>("close");
  CHECK_FALSE(close.force);
  CHECK(close.reason.empty());
}

TEST_CASE("close --force needs a reason and keeps it", "[close]") {
  const auto close = parse_as<Close>("close --force Declared by mistake during a drill");
  CHECK(close.force);
  CHECK(close.reason == "Declared by mistake during a drill");
  CHECK(parse_as<Close>("CLOSE --FORCE drill").force);

  const auto error = parse_error("close --force");
  CHECK(error.message == "close --force needs a reason");
  CHECK(error.usage == "close [--force <reason>]");
  CHECK(parse_error("close --force   ").message == "close --force needs a reason");
}

TEST_CASE("close accepts the em dash a phone types for --", "[close]") {
  const auto close = parse_as<Close>("close \xE2\x80\x94" "force drill over");
  CHECK(close.force);
  CHECK(close.reason == "drill over");
}

TEST_CASE("close refuses other text and an over-long reason", "[close]") {
  CHECK(parse_error("close now please").message == "close takes only --force <reason>, got 'now please'");
  CHECK(parse_error("close -f drill").message == "close takes only --force <reason>, got '-f drill'");
  CHECK(parse_error("close INC-3").message == "write the incident before the verb: INC-3 close");
  CHECK(parse_error("close --force " + std::string(max_field_length + 1, 'r')).message ==
        "reason is too long: 2001 bytes, at most 2000");
}

TEST_CASE("reopen takes no arguments", "[reopen]") {
  parse_as<Reopen>("reopen");
  parse_as<Reopen>("INC-2 Reopen");
  const auto error = parse_error("reopen please");
  CHECK(error.message == "reopen takes no arguments, got 'please'");
  CHECK(error.usage == "reopen");
}

TEST_CASE("a declare form's fields are read whole: sev2 in the title is title", "[declare][form]") {
  const auto result = declare_from_fields({"Checkout down sev2 private", "sev1", "Delivery", true, "502s on  pay\nnow"});
  REQUIRE(std::holds_alternative<Declare>(result));
  const auto& declare = std::get<Declare>(result);
  CHECK(declare.title == "Checkout down sev2 private");
  CHECK(declare.severity == 1);
  CHECK(declare.layer == "delivery");
  CHECK(declare.is_private);
  CHECK(declare.symptom == "502s on  pay now");

  const auto bare = std::get<Declare>(declare_from_fields({"  Pixel broken  ", "", "", false, ""}));
  CHECK(bare.title == "Pixel broken");
  CHECK_FALSE(bare.severity);
  CHECK_FALSE(bare.layer);
  CHECK_FALSE(bare.is_private);
  CHECK(bare.symptom.empty());
}

TEST_CASE("a declare form's field at fault is named, with the same error the one-line command gives", "[declare][form]") {
  const auto refused = [](const DeclareFields& fields) { return std::get<DeclareFieldError>(declare_from_fields(fields)); };
  const auto typed = [](std::string_view text) { return std::get<ParseError>(parse(text)).one_line(); };

  const auto untitled = refused({"   ", "sev2", "", false, ""});
  CHECK(untitled.field == DeclareField::title);
  CHECK(untitled.error.one_line() == typed("declare"));

  const auto severity = refused({"Checkout down", "sev9", "", false, ""});
  CHECK(severity.field == DeclareField::severity);
  CHECK(severity.error.one_line() == typed("declare Checkout down sev9"));

  const auto layer = refused({"Checkout down", "", "two words", false, ""});
  CHECK(layer.field == DeclareField::layer);

  const auto long_title = refused({std::string(3000, 'x'), "", "", false, ""});
  CHECK(long_title.field == DeclareField::title);
  CHECK_THAT(long_title.error.one_line(), Catch::Contains("at most 2000"));

  const auto unreadable = refused({"Checkout", "", "", false, std::string("bad \xff byte")});
  CHECK(unreadable.field == DeclareField::symptom);
  CHECK_THAT(unreadable.error.message, Catch::StartsWith("symptom: "));
}
