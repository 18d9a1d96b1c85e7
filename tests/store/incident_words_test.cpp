#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include "older_schema.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

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

Postmortem with_cause(std::string causal_layer, std::string system_change = "") {
  Postmortem postmortem;
  postmortem.sections[PostmortemField::causal_layer] = std::move(causal_layer);
  if (!system_change.empty()) postmortem.sections[PostmortemField::system_change] = std::move(system_change);
  return postmortem;
}

std::vector<std::string> indexed_words(SQLite::Database& db, std::int64_t number) {
  SQLite::Statement query(db, "SELECT word || '@' || layer FROM incident_words WHERE incident = ? ORDER BY word");
  query.bind(1, number);
  std::vector<std::string> words;
  while (query.executeStep()) words.push_back(query.getColumn(0).getString());
  return words;
}

std::vector<std::int64_t> numbers(const std::vector<PastIncident>& incidents) {
  std::vector<std::int64_t> found;
  for (const auto& incident : incidents) found.push_back(incident.number);
  return found;
}

// One line per match with everything the rule reports, so two results compare as strings.
std::string described(const std::vector<FamilyMatch>& matches) {
  std::string text;
  for (const auto& match : matches) {
    text += std::to_string(match.number) + " " + match.title + " | " + match.system_change + " |";
    for (const auto& word : match.shared_words) text += " " + word;
    text += "\n";
  }
  return text;
}

// A small deterministic generator (a linear congruential one), the same on every platform.
struct Dice {
  std::uint64_t state = 20240611;
  std::size_t roll(std::size_t sides) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::size_t>(state >> 33) % sides;
  }
};

// Shared and unshared words, case variants, stop words, numbers, short words, accents and words joined
// by dashes and bullets that significant_words splits.
constexpr std::array title_words{"Checkout",   "checkout",      "CHECKOUT", "pixel",          "Pixel",   "firing",
                                 "latency",    "payments",      "paiement", "échoué",         "Zahlung", "login",
                                 "eu",         "500",           "the",      "down",           "not",     "is",
                                 "timeouts",   "europe",        "api",      "api—gateway",    "tag",     "manager",
                                 "pixel–firing", "checkout·pixel", "«consent»", "db",          "spend",   "stopped",
                                 "kafka",      "redis",         "safari",   "android",        "invoice", "refund",
                                 "coupon",     "search",        "cart",     "webhook",        "sitemap", "feed"};
constexpr std::array layers{"measurement", "Measurement", "conversion", "delivery", ""};
constexpr std::array causes{"", "measurement", "CONVERSION"};

std::string title_from(Dice& dice) {
  std::string title;
  const std::size_t words = 1 + dice.roll(5);
  for (std::size_t i = 0; i < words; ++i)
    title += (i == 0 ? "" : " ") + std::string(title_words[dice.roll(title_words.size())]);
  return title;
}

// Consecutive words of the list: more than the index pairs (16) when few of them fold together.
std::string long_title_from(Dice& dice) {
  std::string title;
  const std::size_t first = dice.roll(title_words.size());
  for (std::size_t i = 0; i < 22; ++i) title += std::string(title_words[(first + i) % title_words.size()]) + " ";
  return title;
}

bool is_long(const std::string& title) { return workflows::significant_words(title).size() > 16; }

}  // namespace

TEST_CASE("family candidates: earlier, not declined, with the causal layer and system change") {
  auto db = store::open(":memory:");
  store::save_incident(db, incident_numbered(1, "Pixel not firing", "conversion"));
  store::save_incident(db, incident_numbered(2, "Pixel not firing", "measurement", State::declined));
  store::save_incident(db, incident_numbered(3, "Pixel firing late", "Measurement", State::investigating));
  store::save_incident(db, incident_numbered(4, "Pixel firing", "delivery"));
  store::save_incident(db, incident_numbered(5, "Pixel again", "measurement"));
  store::save_postmortem(db, 1, with_cause("measurement", "checklist"));

  const auto candidates = store::family_candidates(db, 5, "Pixel firing again", "MEASUREMENT");
  REQUIRE(numbers(candidates) == std::vector<std::int64_t>{1, 3});
  CHECK(candidates[0].title == "Pixel not firing");
  CHECK(candidates[0].layer == "measurement");
  CHECK(candidates[0].system_change == "checklist");
  CHECK(candidates[1].layer == "Measurement");
  CHECK(candidates[1].system_change.empty());
  CHECK(store::family_candidates(db, 3, "Pixel firing", "measurement").size() == 1);  // only earlier ones
  CHECK(store::family_candidates(db, 9, "Pixel firing", "").empty());                 // no layer, no family
  // One shared word is not enough against INC-3's three words; INC-1 and INC-5 have two and one.
  CHECK(numbers(store::family_candidates(db, 9, "Pixel dashboards slow everywhere", "measurement")) ==
        std::vector<std::int64_t>{1, 5});
  CHECK(store::family_candidates(db, 9, "the 500 is down", "measurement").empty());    // no significant word
}

TEST_CASE("the candidates give the family matches that every earlier incident gives") {
  auto db = store::open(":memory:");
  Dice dice;
  std::vector<PastIncident> not_declined;  // what the rule saw before the index: every earlier incident
  std::vector<Incident> saved;
  constexpr std::int64_t count = 240;
  for (std::int64_t number = 1; number <= count; ++number) {
    const State state = number % 7 == 0 ? State::declined : number % 3 == 0 ? State::investigating : State::closed;
    const std::string title = number % 11 == 0 ? long_title_from(dice) : title_from(dice);
    auto incident = incident_numbered(number, title, layers[dice.roll(layers.size())], state);
    store::save_incident(db, incident);
    PastIncident past{number, incident.title, incident.layer, ""};
    if (number % 5 == 0) {
      const std::string cause = causes[dice.roll(causes.size())];
      const std::string fix = number % 10 == 0 ? "fix " + std::to_string(number) : "";
      store::save_postmortem(db, number, with_cause(cause, fix));
      if (!cause.empty()) past.layer = cause;
      past.system_change = fix;
    }
    if (state != State::declined) not_declined.push_back(past);
    saved.push_back(incident);
  }
  const auto earlier_than = [&](std::int64_t number) {
    std::vector<PastIncident> earlier;
    for (const auto& past : not_declined)
      if (past.number < number) earlier.push_back(past);
    return earlier;
  };

  int with_matches = 0, capped = 0, long_titles = 0;
  const auto compare = [&](std::int64_t number, const std::string& title, const std::string& layer) {
    INFO("INC-" << number << " \"" << title << "\" in layer \"" << layer << "\"");
    const auto candidates = store::family_candidates(db, number, title, layer);
    const auto earlier = earlier_than(number);
    const auto expected = workflows::same_family(number, title, layer, earlier);
    CHECK(described(workflows::same_family(number, title, layer, candidates)) == described(expected));
    CHECK(candidates.size() == expected.size());  // the store reads only the incidents the rule names
    with_matches += expected.empty() ? 0 : 1;
    capped += expected.size() == 3 ? 1 : 0;
    long_titles += is_long(title) ? 1 : 0;
  };
  // The postmortem view: each incident against the ones before it, in its own family layer.
  for (const auto& incident : saved) {
    const auto postmortem = store::load_postmortem(db, incident.number);
    compare(incident.number, incident.title, workflows::family_layer(incident, &postmortem));
  }
  // Declarations after all of them, in every layer and in capitals.
  for (int probe = 0; probe < 60; ++probe) {
    const std::string title = probe % 10 == 0 ? long_title_from(dice) : title_from(dice);
    for (const std::string layer : {"measurement", "MEASUREMENT", "conversion", "delivery", ""})
      compare(count + 1, title, layer);
  }
  compare(count + 1, "Checkout—pixel firing in «consent» manager", "measurement");
  // The data exercise the rule: no family, small ones, and ones with more members than the 3 it names.
  CHECK(with_matches > 100);
  CHECK(capped > 50);
  CHECK(with_matches - capped > 25);
  CHECK(long_titles > 10);  // titles with more words than the index pairs, stored and declared
}

TEST_CASE("renaming an incident replaces its indexed words") {
  auto db = store::open(":memory:");
  auto incident = incident_numbered(1, "Pixel not firing", "Measurement");
  store::save_incident(db, incident);
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"firing@measurement", "pixel@measurement"});
  CHECK(numbers(store::family_candidates(db, 2, "pixel firing", "measurement")) == std::vector<std::int64_t>{1});

  incident.title = "Checkout latency";
  store::save_incident(db, incident);
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"checkout@measurement", "latency@measurement"});
  CHECK(store::family_candidates(db, 2, "pixel firing", "measurement").empty());
  CHECK(numbers(store::family_candidates(db, 2, "checkout latency", "measurement")) == std::vector<std::int64_t>{1});
}

TEST_CASE("a declined incident leaves the index, and comes back if it is saved otherwise") {
  auto db = store::open(":memory:");
  auto incident = incident_numbered(1, "Checkout latency spike", "conversion", State::triage);
  store::save_incident(db, incident);
  CHECK(indexed_words(db, 1).size() == 3);
  CHECK(db.execAndGet("SELECT count(*) FROM incident_word_pairs WHERE incident = 1").getInt() == 3);
  incident.state = State::declined;
  store::save_incident(db, incident);
  CHECK(indexed_words(db, 1).empty());
  CHECK(db.execAndGet("SELECT count(*) FROM incident_word_pairs WHERE incident = 1").getInt() == 0);
  incident.state = State::investigating;
  store::save_incident(db, incident);
  CHECK(numbers(store::family_candidates(db, 2, "checkout latency", "conversion")) == std::vector<std::int64_t>{1});
}

TEST_CASE("the words follow the family layer: the likely layer, then the postmortem's causal layer") {
  auto db = store::open(":memory:");
  auto incident = incident_numbered(1, "Pixel not firing", "conversion");
  store::save_incident(db, incident);
  incident.layer = "delivery";
  store::save_incident(db, incident);
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"firing@delivery", "pixel@delivery"});

  store::save_postmortem(db, 1, with_cause("Measurement"));
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"firing@measurement", "pixel@measurement"});
  CHECK(store::family_candidates(db, 2, "pixel firing", "delivery").empty());
  CHECK(numbers(store::family_candidates(db, 2, "pixel firing", "measurement")) == std::vector<std::int64_t>{1});

  store::save_postmortem(db, 1, with_cause(""));  // an empty causal layer leaves the likely one
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"firing@delivery", "pixel@delivery"});
}

TEST_CASE("family candidates search the word and pair indexes and read incidents by number only") {
  auto db = store::open(":memory:");
  std::string plan;
  for (const auto& step : store::family_candidates_plan(db)) plan += step + "\n";
  INFO(plan);
  CHECK_THAT(plan, Catch::Contains("SEARCH incident_word_pairs USING PRIMARY KEY (pair=? AND layer=? AND incident<?)"));
  CHECK_THAT(plan, Catch::Contains("SEARCH incident_words USING PRIMARY KEY (word=? AND layer=? AND incident<?)"));
  CHECK_THAT(plan, Catch::Contains("SEARCH incident_words USING COVERING INDEX incident_words_of_long_titles"));
  CHECK_THAT(plan, Catch::Contains("SEARCH incident_words USING COVERING INDEX incident_words_of_short_titles"));
  CHECK_THAT(plan, Catch::Contains("SEARCH i USING INTEGER PRIMARY KEY (rowid=?)"));
  CHECK(plan.find("SCAN ") == std::string::npos);
}

TEST_CASE("migration 7 indexes the titles of a version 6 store") {
  SQLite::Database db(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  store::migrate(db);
  store::testing::undo_migration_9(db);
  db.exec("DROP TABLE incident_words");  // back to version 6, holding incidents and a postmortem
  db.exec("DROP TABLE incident_word_pairs");
  db.exec("DROP INDEX deliveries_by_at");
  db.exec("PRAGMA user_version = 6");
  db.exec(R"(INSERT INTO incidents VALUES (1, 'Pixel not firing', 'closed', 3, 0, 'inc-1', 'general', 'a', 'a', '', '',
             '', 'conversion', 'unknown', '', '', '', 0, 0, 0, 10, 0, 0, 50, 0, '', '', '', 'console'),
             (2, 'Checkout latency in Europe', 'closed', 3, 0, 'inc-2', 'general', 'a', 'a', '', '', '',
             'Conversion', 'unknown', '', '', '', 0, 0, 0, 10, 0, 0, 50, 0, '', '', '', 'console'))");
  db.exec(R"(INSERT INTO postmortem_sections VALUES (1, 'causal_layer', 'measurement'),
             (1, 'system_change', 'tag checklist'))");

  store::migrate(db);
  CHECK(store::current_version(db) == store::schema_version);
  CHECK(indexed_words(db, 1) == std::vector<std::string>{"firing@measurement", "pixel@measurement"});
  CHECK(indexed_words(db, 2) ==
        std::vector<std::string>{"checkout@conversion", "europe@conversion", "latency@conversion"});
  const auto candidates = store::family_candidates(db, 3, "Pixel firing twice", "measurement");
  REQUIRE(candidates.size() == 1);
  CHECK(candidates[0].system_change == "tag checklist");
  CHECK(numbers(store::family_candidates(db, 3, "Checkout latency", "conversion")) == std::vector<std::int64_t>{2});
}

TEST_CASE("a two-word title in a large family gets the newest members, long titles among them") {
  auto db = store::open(":memory:");
  std::vector<PastIncident> earlier;
  const std::string long_tail = " alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa";
  for (std::int64_t number = 1; number <= 60; ++number) {
    // Every fourth member has a title too long to keep pairs: found through its words instead.
    const std::string title = number % 4 == 0 ? "checkout latency" + long_tail + " " + std::to_string(number)
                              : number % 5 == 0 ? "checkout pixel " + std::to_string(number)
                                                : "Checkout latency " + std::to_string(number);
    store::save_incident(db, incident_numbered(number, title, "delivery"));
    earlier.push_back(PastIncident{number, title, "delivery", ""});
    const auto expected = workflows::same_family(number + 1, "checkout latency again", "delivery", earlier);
    const auto candidates = store::family_candidates(db, number + 1, "checkout latency again", "delivery");
    INFO("after INC-" << number);
    CHECK(described(workflows::same_family(number + 1, "checkout latency again", "delivery", candidates)) ==
          described(expected));
    CHECK(candidates.size() == expected.size());
  }
  const auto last = store::family_candidates(db, 61, "Checkout latency", "delivery");
  CHECK(numbers(last) == std::vector<std::int64_t>{58, 59, 60});  // 60 has a long title, 59 and 58 short ones
}
