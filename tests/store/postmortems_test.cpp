#include "store/store.hpp"

#include <SQLiteCpp/Transaction.h>
#include <catch2/catch.hpp>

using namespace incident_bot;

namespace {

Incident incident_numbered(std::int64_t number, std::string title, std::string layer, State state = State::closed) {
  Incident incident;
  incident.number = number;
  incident.title = std::move(title);
  incident.layer = std::move(layer);
  incident.state = state;
  incident.channel = "inc-" + std::to_string(number);
  return incident;
}

Postmortem every_section() {
  Postmortem postmortem;
  postmortem.sections = {{PostmortemField::summary, "s"},        {PostmortemField::what_happened, "w"},
                         {PostmortemField::cost, "€4k"},         {PostmortemField::detection_gap, "d"},
                         {PostmortemField::causal_layer, "measurement"}, {PostmortemField::evidence, "e"},
                         {PostmortemField::system_change, "checklist"},  {PostmortemField::response, "r"}};
  postmortem.actions = {{1, "alert", "dan", 1'796'083'200, "bob", 100}, {2, "checklist", "erin", 0, "bob", 200}};
  postmortem.done_at = 300;
  return postmortem;
}

}  // namespace

TEST_CASE("a postmortem is empty until written, then reads back as saved") {
  auto db = store::open(":memory:");
  store::save_incident(db, incident_numbered(1, "Pixel", "measurement"));
  const Postmortem none = store::load_postmortem(db, 1);
  CHECK(none.sections.empty());
  CHECK(none.actions.empty());
  CHECK(none.done_at == 0);

  const Postmortem saved = every_section();
  store::save_postmortem(db, 1, saved);
  const Postmortem loaded = store::load_postmortem(db, 1);
  CHECK(loaded.sections == saved.sections);
  REQUIRE(loaded.actions.size() == 2);
  CHECK(loaded.actions[0].text == "alert");
  CHECK(loaded.actions[0].owner == "dan");
  CHECK(loaded.actions[0].due == 1'796'083'200);
  CHECK(loaded.actions[0].added_by == "bob");
  CHECK(loaded.actions[0].added_at == 100);
  CHECK(loaded.actions[1].sequence == 2);
  CHECK(loaded.actions[1].due == 0);
  CHECK(loaded.done_at == 300);
}

TEST_CASE("saving again replaces the sections and actions") {
  auto db = store::open(":memory:");
  store::save_incident(db, incident_numbered(1, "Pixel", "measurement"));
  store::save_postmortem(db, 1, every_section());
  Postmortem smaller;
  smaller.sections[PostmortemField::cost] = "less";
  store::save_postmortem(db, 1, smaller);
  const Postmortem loaded = store::load_postmortem(db, 1);
  CHECK(loaded.sections.size() == 1);
  CHECK(loaded.section(PostmortemField::cost) == "less");
  CHECK(loaded.actions.empty());
  CHECK(loaded.done_at == 0);
}

TEST_CASE("a postmortem belongs to an incident that exists") {
  auto db = store::open(":memory:");
  CHECK_THROWS(store::save_postmortem(db, 9, every_section()));
  CHECK(store::load_postmortem(db, 9).sections.empty());  // nothing half-written
}
