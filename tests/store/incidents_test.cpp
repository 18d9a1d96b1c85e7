#include "store/store.hpp"
#include <sqlite3.h>

#include <SQLiteCpp/Transaction.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>

namespace fs = std::filesystem;
using namespace incident_bot;

namespace {

// A directory under the system temp dir that is removed, with everything in it, at scope exit.
struct TempDir {
  fs::path path;
  TempDir() {
    std::random_device random;
    path = fs::temp_directory_path() /
           ("incident-bot-incidents-test-" + std::to_string(random()) + "-" + std::to_string(random()));
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
};

// Every field away from its default, so a column that is not written or not read shows.
Incident full_incident(std::int64_t number) {
  Incident incident;
  incident.number = number;
  incident.title = "Checkout returns 502 for card payments";
  incident.state = State::monitoring;
  incident.severity = 2;
  incident.is_private = true;
  incident.channel = "C0INC" + std::to_string(number);
  incident.declared_in = "C0GENERAL";
  incident.platform = "slack";
  incident.detector = "U0DETECT";
  incident.owner = "U0OWNER";
  incident.comms = "U0COMMS";
  incident.specialists = {"U0SPEC2", "U0SPEC1"};  // not sorted: the order is kept as given
  incident.symptom = "5% of card payments fail with 502";
  incident.scope = "EU customers, card only";
  incident.layer = "delivery";
  incident.confidence = Confidence::high;
  incident.mitigation = "payments pinned to the previous release";
  incident.next_check = "error rate at 15:30";
  incident.next_check_owner = "U0SPEC1";
  incident.changes = {
      Change{.sequence = 1, .what = "rolled back payments to v41", .actor = "U0OWNER", .at = 1'700'000'100, .verified = true},
      Change{.sequence = 2, .what = "raised gateway timeout to 5s", .actor = "U0SPEC1", .at = 1'700'000'200},
      Change{.sequence = 3, .what = "drained node pay-3", .actor = "U0SPEC2", .at = 1'700'000'300},
  };
  incident.most_changes_in_flight = 2;
  incident.parallel_change_warnings = 1;
  incident.update_count = 4;
  incident.declared_at = 1'700'000'000;
  incident.last_update_at = 1'700'000'400;
  incident.resolved_at = 1'700'000'500;
  incident.closed_at = 1'700'000'600;
  incident.next_update_due = 1'700'007'600;
  incident.resolution = "release v42 reverted; fix in review";
  incident.decline_reason = "not declined, but stored all the same";
  incident.close_reason = "forced: stakeholders informed";
  return incident;
}

void require_same(const Incident& read, const Incident& written) {
  CHECK(read.number == written.number);
  CHECK(read.title == written.title);
  CHECK(read.state == written.state);
  CHECK(read.severity == written.severity);
  CHECK(read.is_private == written.is_private);
  CHECK(read.channel == written.channel);
  CHECK(read.declared_in == written.declared_in);
  CHECK(read.platform == written.platform);
  CHECK(read.detector == written.detector);
  CHECK(read.owner == written.owner);
  CHECK(read.comms == written.comms);
  CHECK(read.specialists == written.specialists);
  CHECK(read.symptom == written.symptom);
  CHECK(read.scope == written.scope);
  CHECK(read.layer == written.layer);
  CHECK(read.confidence == written.confidence);
  CHECK(read.mitigation == written.mitigation);
  CHECK(read.next_check == written.next_check);
  CHECK(read.next_check_owner == written.next_check_owner);
  REQUIRE(read.changes.size() == written.changes.size());
  for (std::size_t i = 0; i < written.changes.size(); ++i) {
    CHECK(read.changes[i].sequence == written.changes[i].sequence);
    CHECK(read.changes[i].what == written.changes[i].what);
    CHECK(read.changes[i].actor == written.changes[i].actor);
    CHECK(read.changes[i].at == written.changes[i].at);
    CHECK(read.changes[i].verified == written.changes[i].verified);
  }
  CHECK(read.most_changes_in_flight == written.most_changes_in_flight);
  CHECK(read.parallel_change_warnings == written.parallel_change_warnings);
  CHECK(read.update_count == written.update_count);
  CHECK(read.declared_at == written.declared_at);
  CHECK(read.last_update_at == written.last_update_at);
  CHECK(read.resolved_at == written.resolved_at);
  CHECK(read.closed_at == written.closed_at);
  CHECK(read.next_update_due == written.next_update_due);
  CHECK(read.resolution == written.resolution);
  CHECK(read.decline_reason == written.decline_reason);
  CHECK(read.close_reason == written.close_reason);
}

Incident plain_incident(std::int64_t number, State state) {
  Incident incident;
  incident.number = number;
  incident.title = "incident " + std::to_string(number);
  incident.state = state;
  incident.channel = "C" + std::to_string(number);
  return incident;
}

std::vector<std::int64_t> numbers_of(const std::vector<Incident>& incidents) {
  std::vector<std::int64_t> numbers;
  for (const auto& incident : incidents) numbers.push_back(incident.number);
  return numbers;
}

}  // namespace

TEST_CASE("a fully populated incident round-trips through :memory:") {
  auto db = store::open(":memory:");
  const auto written = full_incident(7);
  store::save_incident(db, written);

  const auto read = store::load_incident(db, 7);
  REQUIRE(read);
  require_same(*read, written);
}

TEST_CASE("a fully populated incident round-trips through a file, across reopening") {
  TempDir dir;
  const auto path = (dir.path / "incident-bot.db").string();
  const auto written = full_incident(12);
  {
    auto db = store::open(path);
    SQLite::Transaction transaction(db);
    store::save_incident(db, written);
    transaction.commit();
  }
  auto reopened = store::open(path);
  const auto read = store::load_incident(reopened, 12);
  REQUIRE(read);
  require_same(*read, written);
}

TEST_CASE("every state and confidence survives the store") {
  auto db = store::open(":memory:");
  const State states[] = {State::triage,     State::investigating, State::contained,
                          State::monitoring, State::closed,        State::declined};
  const Confidence confidences[] = {Confidence::unknown, Confidence::low, Confidence::medium, Confidence::high};
  std::int64_t number = 0;
  for (auto state : states)
    for (auto confidence : confidences) {
      auto incident = plain_incident(++number, state);
      incident.confidence = confidence;
      store::save_incident(db, incident);
      const auto read = store::load_incident(db, number);
      REQUIRE(read);
      CHECK(read->state == state);
      CHECK(read->confidence == confidence);
    }
}

TEST_CASE("saving again replaces the row, the specialists and the changes, and keeps the timeline") {
  auto db = store::open(":memory:");
  auto incident = full_incident(3);
  store::save_incident(db, incident);
  store::append_timeline(db, 3, {TimelineEntry{.at = 1, .actor = "U0DETECT", .kind = "declared", .text = "declared"}});

  incident.state = State::closed;
  incident.title = "renamed";
  incident.specialists = {"U0SPEC3"};
  incident.changes.resize(1);
  incident.changes[0].verified = false;
  store::save_incident(db, incident);

  const auto read = store::load_incident(db, 3);
  REQUIRE(read);
  require_same(*read, incident);
  CHECK(store::load_timeline(db, 3).size() == 1);
}

TEST_CASE("a save that fails changes nothing and leaves no transaction open") {
  auto db = store::open(":memory:");
  const auto original = full_incident(4);
  store::save_incident(db, original);

  auto broken = original;
  broken.title = "should not be kept";
  broken.changes[2].sequence = broken.changes[0].sequence;  // duplicate key in changes
  CHECK_THROWS(store::save_incident(db, broken));

  const auto read = store::load_incident(db, 4);
  REQUIRE(read);
  require_same(*read, original);
  CHECK_NOTHROW(SQLite::Transaction(db).commit());  // BEGIN would fail inside a dangling transaction
}

TEST_CASE("load_incident on an unknown number is empty") {
  auto db = store::open(":memory:");
  CHECK_FALSE(store::load_incident(db, 1));
}

TEST_CASE("next_incident_number is one past the highest") {
  auto db = store::open(":memory:");
  CHECK(store::next_incident_number(db) == 1);
  store::save_incident(db, plain_incident(1, State::triage));
  CHECK(store::next_incident_number(db) == 2);
  store::save_incident(db, plain_incident(5, State::closed));
  store::save_incident(db, plain_incident(3, State::triage));
  CHECK(store::next_incident_number(db) == 6);
}

TEST_CASE("open_incidents leaves out closed and declined ones and sorts by number") {
  auto db = store::open(":memory:");
  CHECK(store::open_incidents(db).empty());
  store::save_incident(db, plain_incident(4, State::monitoring));
  store::save_incident(db, plain_incident(2, State::closed));
  store::save_incident(db, plain_incident(3, State::declined));
  store::save_incident(db, full_incident(1));  // monitoring, with specialists and changes
  store::save_incident(db, plain_incident(5, State::investigating));

  const auto open = store::open_incidents(db);
  CHECK(numbers_of(open) == std::vector<std::int64_t>{1, 4, 5});
  REQUIRE_FALSE(open.empty());
  require_same(open.front(), full_incident(1));  // whole incidents, details included
}

TEST_CASE("open_incidents_held_by finds every role and only open incidents") {
  auto db = store::open(":memory:");
  auto as_detector = plain_incident(1, State::triage);
  as_detector.detector = "alice";
  auto as_owner = plain_incident(2, State::investigating);
  as_owner.owner = "alice";
  auto as_comms = plain_incident(3, State::contained);
  as_comms.comms = "alice";
  auto as_specialist = plain_incident(4, State::monitoring);
  as_specialist.specialists = {"bob", "alice"};
  auto closed = plain_incident(5, State::closed);
  closed.owner = "alice";
  auto declined = plain_incident(6, State::declined);
  declined.detector = "alice";
  auto someone_else = plain_incident(7, State::triage);
  someone_else.owner = "alicia";
  for (const auto& incident : {as_specialist, as_comms, as_owner, as_detector, closed, declined, someone_else})
    store::save_incident(db, incident);

  CHECK(store::open_incidents_held_by(db, "alice") == std::vector<std::int64_t>{1, 2, 3, 4});
  CHECK(store::open_incidents_held_by(db, "bob") == std::vector<std::int64_t>{4});
  CHECK(store::open_incidents_held_by(db, "ali").empty());
  CHECK(store::open_incidents_held_by(db, "nobody").empty());
  CHECK(store::open_incidents_held_by(db, "").empty());  // unassigned roles are "" and belong to no one
}

TEST_CASE("incident_in_channel matches the channel exactly and prefers the open incident") {
  auto db = store::open(":memory:");
  auto first = plain_incident(1, State::closed);
  first.channel = "C-shared";
  auto second = plain_incident(2, State::investigating);
  second.channel = "C-shared";
  auto third = plain_incident(3, State::closed);
  third.channel = "C-shared";
  auto only_closed = plain_incident(4, State::declined);
  only_closed.channel = "C-old";
  auto earlier_closed = plain_incident(5, State::closed);
  earlier_closed.channel = "C-old";
  for (const auto& incident : {first, second, third, only_closed, earlier_closed}) store::save_incident(db, incident);

  const auto shared = store::incident_in_channel(db, "C-shared");
  REQUIRE(shared);
  CHECK(shared->number == 2);
  const auto old = store::incident_in_channel(db, "C-old");
  REQUIRE(old);
  CHECK(old->number == 5);
  CHECK_FALSE(store::incident_in_channel(db, "C-"));
  CHECK_FALSE(store::incident_in_channel(db, "c-shared"));
  CHECK_FALSE(store::incident_in_channel(db, ""));
}

TEST_CASE("a save against the incident as stored writes only the parts that differ") {
  auto db = store::open(":memory:");
  const auto stored = full_incident(5);
  store::save_incident(db, stored);
  const auto rows_written = [&] { return sqlite3_total_changes(db.getHandle()); };

  const int before_same = rows_written();
  store::save_incident(db, stored, &stored);
  CHECK(rows_written() == before_same);  // a note changes nothing of the incident: nothing is written

  auto renamed = stored;
  renamed.title = "renamed only";
  const int before_rename = rows_written();
  store::save_incident(db, renamed, &stored);
  const int partial = rows_written() - before_rename;
  require_same(*store::load_incident(db, 5), renamed);
  const int before_full = rows_written();
  store::save_incident(db, renamed);
  const int full = rows_written() - before_full;
  CHECK(partial < full);  // the row (and its title words) alone; specialists, changes, reminders untouched

  auto joined = renamed;
  joined.specialists.push_back("U0LATE");
  joined.reminders.due_at += 60;
  store::save_incident(db, joined, &renamed);
  const auto read = store::load_incident(db, 5);
  require_same(*read, joined);
  CHECK(read->reminders.due_at == joined.reminders.due_at);
}

TEST_CASE("declarer_of is the actor of the incident's declared entry, whoever holds its roles now") {
  auto db = store::open(":memory:");
  Incident incident = plain_incident(2, State::triage);
  incident.owner = "U0BOB";
  store::save_incident(db, incident);
  CHECK_FALSE(store::declarer_of(db, 2));
  store::append_timeline(db, 2, {TimelineEntry{.at = 1, .actor = "U0ALICE", .kind = "declared", .text = "declared"},
                                 TimelineEntry{.at = 2, .actor = "U0BOB", .kind = "role", .text = "owner"}});
  CHECK(store::declarer_of(db, 2) == "U0ALICE");
  CHECK_FALSE(store::declarer_of(db, 3));
}
