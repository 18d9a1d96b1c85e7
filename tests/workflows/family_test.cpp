#include "fixtures.hpp"
#include "workflows/postmortem.hpp"

#include <catch2/catch.hpp>

using namespace incident_bot;
using namespace incident_bot::testing;

TEST_CASE("significant words: lowercased, stop words, numbers and short words dropped") {
  CHECK(workflows::significant_words("The Meta pixel is NOT firing on 3 pages after the release") ==
        std::vector<std::string>{"meta", "pixel", "firing", "pages", "release"});
  CHECK(workflows::significant_words("Paiement échoué — paiement · “Zahlung”") ==
        std::vector<std::string>{"paiement", "échoué", "zahlung"});
}

TEST_CASE("same family: same layer and two shared significant words") {
  const std::vector<PastIncident> earlier{{3, "Meta pixel not firing on checkout", "measurement", "Tag Manager preview"},
                                          {7, "Meta campaigns stopped spending", "delivery", ""}};
  const auto matches = workflows::same_family(12, "Pixel stopped firing after theme release", "measurement", earlier);
  REQUIRE(matches.size() == 1);
  CHECK(matches[0].number == 3);
  CHECK(matches[0].shared_words == std::vector<std::string>{"pixel", "firing"});
  CHECK(workflows::family_line(matches[0]) ==
        "Same family as INC-3 (Meta pixel not firing on checkout) — its fix was: Tag Manager preview");
}

TEST_CASE("near misses: another layer, only stop words, or one word among many") {
  const std::vector<PastIncident> earlier{{3, "Meta pixel not firing on checkout", "measurement", "x"},
                                          {4, "The site is down for everyone", "conversion", "y"},
                                          {5, "Mobile app push notifications broken", "conversion", "z"}};
  CHECK(workflows::same_family(9, "Pixel not firing on checkout", "conversion", earlier).size() == 0);
  CHECK(workflows::same_family(9, "The checkout is down", "conversion", earlier).empty());
  CHECK(workflows::same_family(9, "Mobile checkout latency", "conversion", earlier).empty());
  CHECK(workflows::same_family(9, "Pixel firing", "", earlier).empty());       // no layer, no family
  CHECK(workflows::same_family(3, "Meta pixel not firing", "measurement", earlier).empty());  // only earlier ones
}

TEST_CASE("one shared word is enough when it is half of a short title; best and latest first, at most 3") {
  std::vector<PastIncident> earlier;
  for (std::int64_t n = 1; n <= 5; ++n) earlier.push_back({n, "Checkout timeouts", "conversion", ""});
  earlier.push_back({6, "Checkout timeouts everywhere in Europe", "conversion", "a guardrail"});
  const auto matches = workflows::same_family(10, "Checkout timeouts everywhere", "conversion", earlier);
  REQUIRE(matches.size() == 3);
  CHECK(matches[0].number == 6);
  CHECK(matches[1].number == 5);
  CHECK_THAT(workflows::family_line(matches[1]), Catch::EndsWith("its postmortem recorded no system change."));
  CHECK(workflows::same_family(10, "Checkout outage", "conversion", {{1, "Checkout broken", "conversion", ""}}).size() == 1);
}

TEST_CASE("the family layer is the postmortem's causal layer, else the likely layer") {
  Incident incident;
  incident.layer = "conversion";
  CHECK(workflows::family_layer(incident, nullptr) == "conversion");
  Postmortem postmortem;
  postmortem.sections[PostmortemField::causal_layer] = "measurement";
  CHECK(workflows::family_layer(incident, &postmortem) == "measurement");
}

TEST_CASE("late updates count against the cadence from the declaration to the resolution") {
  Incident incident;
  incident.declared_at = t0;
  const std::vector<TimelineEntry> timeline{
      {t0, "a", "declared", ""},          {t0 + 50 * minutes, "a", "update", ""},   // on time
      {t0 + 3 * hours, "a", "update", ""},                                          // late
      {t0 + 3 * hours + 30 * minutes, "a", "note", ""},
      {t0 + 5 * hours, "a", "resolve", ""},                                         // missed one before it
      {t0 + 9 * hours, "a", "close", ""}};                                          // monitoring: none due
  CHECK(workflows::late_updates(incident, timeline, 1 * hours) == 2);
  CHECK(workflows::late_updates(incident, timeline, 6 * hours) == 0);
}
