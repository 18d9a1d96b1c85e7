#include "parse_support.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace incident_bot;
using namespace incident_bot::commands;
using namespace incident_bot::commands::testing;

TEST_CASE("role assigns each role to an @user", "[role]") {
  for (const auto role : {Role::owner, Role::comms, Role::specialist, Role::detector}) {
    const auto assign = parse_as<AssignRole>("role " + std::string(to_string(role)) + " @dana");
    CHECK(assign.role == role);
    CHECK(assign.user == "dana");
  }
}

TEST_CASE("role accepts the role aliases in any case", "[role]") {
  CHECK(parse_as<AssignRole>("role lead @dana").role == Role::owner);
  CHECK(parse_as<AssignRole>("role Incident-Lead @dana").role == Role::owner);
  CHECK(parse_as<AssignRole>("role comms-lead @sam").role == Role::comms);
  CHECK(parse_as<AssignRole>("role COMMUNICATOR @sam").role == Role::comms);
  CHECK(parse_as<AssignRole>("ROLE Owner @dana").role == Role::owner);
}

TEST_CASE("assign is the same verb as role", "[role]") {
  const auto assign = parse_as<AssignRole>("assign specialist @lee");
  CHECK(assign.role == Role::specialist);
  CHECK(assign.user == "lee");
  parse_as<ListRoles>("assign");
  CHECK(parse_error("assign chef @lee").usage == parse_error("role chef @lee").usage);
}

TEST_CASE("role reads Slack user escapes as the user id", "[role][users]") {
  CHECK(parse_as<AssignRole>("role owner <@U024BE7LH>").user == "U024BE7LH");
  CHECK(parse_as<AssignRole>("role owner <@U024BE7LH|dana>").user == "U024BE7LH");
  CHECK(parse_as<AssignRole>("role comms <@U1|Jane Doe>").user == "U1");
}

TEST_CASE("role alone lists the roles", "[role]") {
  parse_as<ListRoles>("role");
  parse_as<ListRoles>("INC-5 role   ");
}

TEST_CASE("role refuses an unknown role", "[role]") {
  const auto error = parse_error("role chef @dana");
  CHECK(error.message == "unknown role 'chef', expected owner, comms, specialist or detector");
  CHECK(error.usage == "role [<owner|comms|specialist|detector> <@user>]");
}

TEST_CASE("role refuses a user written before the role", "[role]") {
  CHECK(parse_error("role @dana owner").message == "write the role before the user, such as role owner @dana");
}

TEST_CASE("role refuses a missing or malformed user", "[role][users]") {
  CHECK(parse_error("role owner").message == "missing user for the owner role");
  CHECK(parse_error("role owner dana").message == "'dana' is not a user; write @name");
  CHECK(parse_error("role owner @").message == "'@' is not a user; write @name");
  CHECK(parse_error("role owner <@>").message == "'<@>' is not a user; write @name");
  CHECK(parse_error("role owner <#C123|general>").message == "'<#C123|general>' is not a user; write @name");
  CHECK(parse_error("role specialist @a @b").message == "one user at a time, got '@a @b'");
}

TEST_CASE("role refuses an over-long user", "[role][limits]") {
  CHECK(contains(parse_error("role owner @" + std::string(max_field_length, 'u')).message, "user is too long"));
}
