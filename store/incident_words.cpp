// The repeat-family index: each incident's significant title words, and the pairs of them, under its
// family layer, so that a declaration finds the earlier incidents the rule names without reading the
// history. The words come from workflows::significant_words, the rule's own function: a change to that
// function, or to the rule, needs a migration step that runs index_incident_words again.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <functional>
#include <string>
#include <vector>

namespace incident_bot::store {
namespace {

// same_family (workflows/family.cpp) names at most this many matches, most shared words first, then latest.
constexpr std::size_t most_named = 3;
// A title with more words keeps no pairs (their number grows with the square); migration 7's partial
// index incident_words_of_long_titles finds such titles by their words instead.
constexpr std::size_t most_paired_words = 16;
constexpr const char* long_title = "title_words > 16";
// One shared word is enough when the shorter title has at most two; incident_words_of_short_titles.
constexpr const char* short_title = "title_words <= 2";
// The queries name these partial indexes: without statistics SQLite would walk the primary key instead
// and test every row's title_words.

// The layer the rule compares, as past incidents report it: the postmortem's causal layer, else the likely layer.
constexpr const char* family_layer_sql = "COALESCE(NULLIF(cause.text, ''), i.layer)";
constexpr const char* causal_layer_join =
    " LEFT JOIN postmortem_sections cause ON cause.incident = i.number AND cause.field = 'causal_layer'";

// same_family compares layers lowercased byte by byte (ASCII only), so the index keys them the same way.
std::string lowercase_ascii(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

// Each unordered pair once, its words in byte order and joined by a space, which no word holds.
std::vector<std::string> pairs_of(const std::vector<std::string>& words) {
  std::vector<std::string> pairs;
  for (std::size_t i = 0; i < words.size(); ++i)
    for (std::size_t j = i + 1; j < words.size(); ++j)
      pairs.push_back(words[i] < words[j] ? words[i] + ' ' + words[j] : words[j] + ' ' + words[i]);
  return pairs;
}

std::string placeholders(int first, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) text += (i == 0 ? "?" : ", ?") + std::to_string(first + static_cast<int>(i));
  return text;
}

class IndexWriter {
 public:
  explicit IndexWriter(SQLite::Database& db)
      : word_(db, "INSERT INTO incident_words (word, layer, incident, title_words) VALUES (?, ?, ?, ?)"),
        pair_(db, "INSERT INTO incident_word_pairs (pair, layer, incident) VALUES (?, ?, ?)") {}

  // Declined incidents are no family of anything (the rule never sees them), so they keep no rows.
  void write(std::int64_t number, const std::string& title, const std::string& layer, const std::string& state) {
    if (state == "declined") return;
    const auto words = workflows::significant_words(title);
    const std::string layer_key = lowercase_ascii(layer);
    for (const auto& word : words) {
      word_.bind(1, word);
      word_.bind(2, layer_key);
      word_.bind(3, number);
      word_.bind(4, static_cast<std::int64_t>(words.size()));
      word_.exec();
      word_.reset();
    }
    if (words.size() > most_paired_words) return;
    for (const auto& pair : pairs_of(words)) {
      pair_.bind(1, pair);
      pair_.bind(2, layer_key);
      pair_.bind(3, number);
      pair_.exec();
      pair_.reset();
    }
  }

 private:
  SQLite::Statement word_;
  SQLite::Statement pair_;
};

// number, title, family layer, state: what the index is written from.
std::string indexed_incidents_sql() {
  return std::string("SELECT i.number, i.title, ") + family_layer_sql + ", i.state FROM incidents i" +
         causal_layer_join;
}

struct Lookup {
  std::int64_t number;  // only incidents numbered below it
  std::string layer;    // lowercased
  std::vector<std::string> words;
};

// Incidents sharing two or more words ranked by the pairs they share (k shared words make k(k-1)/2
// pairs, so the order is the rule's); long titles, which keep no pairs, by their shared words.
std::string several_by_pairs_sql(std::size_t pair_count, std::size_t word_count) {
  const int first_word = 3 + static_cast<int>(pair_count);
  return "SELECT incident, count(*) AS pairs FROM incident_word_pairs WHERE pair IN (" + placeholders(3, pair_count) +
         ") AND layer = ?2 AND incident < ?1 GROUP BY incident"
         " UNION ALL SELECT incident, count(*) * (count(*) - 1) / 2 FROM incident_words"
         " INDEXED BY incident_words_of_long_titles WHERE word IN (" +
         placeholders(first_word, word_count) + ") AND layer = ?2 AND incident < ?1 AND " + long_title +
         " GROUP BY incident HAVING count(*) >= 2"
         " ORDER BY pairs DESC, incident DESC LIMIT " + std::to_string(most_named);
}

// A title too long to pair its own words counts them in every incident that has them.
std::string several_by_words_sql(std::size_t word_count) {
  return "SELECT incident, count(*) AS shared FROM incident_words WHERE word IN (" + placeholders(3, word_count) +
         ") AND layer = ?2 AND incident < ?1 GROUP BY incident HAVING count(*) >= 2"
         " ORDER BY shared DESC, incident DESC LIMIT " + std::to_string(most_named);
}

// The latest incidents with one word, walking the index backwards; only short titles when this one is long.
std::string latest_with_word_sql(bool short_titles_only) {
  return std::string("SELECT incident FROM incident_words") +
         (short_titles_only ? " INDEXED BY incident_words_of_short_titles" : "") +
         " WHERE word = ?3 AND layer = ?2 AND incident < ?1" +
         (short_titles_only ? std::string(" AND ") + short_title : "") + " ORDER BY incident DESC LIMIT ?4";
}

// The best incidents sharing two or more words, as the rule ranks them; at most most_named.
std::vector<std::int64_t> sharing_several(SQLite::Database& db, const Lookup& lookup) {
  if (lookup.words.size() < 2) return {};
  const bool by_pairs = lookup.words.size() <= most_paired_words;
  const auto pairs = by_pairs ? pairs_of(lookup.words) : std::vector<std::string>{};
  SQLite::Statement query(db, by_pairs ? several_by_pairs_sql(pairs.size(), lookup.words.size())
                                       : several_by_words_sql(lookup.words.size()));
  query.bind(1, lookup.number);
  query.bind(2, lookup.layer);
  int parameter = 3;
  for (const auto& pair : pairs) query.bind(parameter++, pair);
  for (const auto& word : lookup.words) query.bind(parameter++, word);
  std::vector<std::int64_t> numbers;
  while (query.executeStep()) numbers.push_back(query.getColumn(0).getInt64());
  return numbers;
}

// The latest incidents sharing exactly one word when that is enough for the rule (the shorter title has
// at most two words), `wanted` of them. `several` must hold every incident sharing more: each other
// incident found through two words would share two.
std::vector<std::int64_t> sharing_one(SQLite::Database& db, const Lookup& lookup,
                                      const std::vector<std::int64_t>& several, std::size_t wanted) {
  SQLite::Statement query(db, latest_with_word_sql(lookup.words.size() > 2));
  std::vector<std::int64_t> found;
  for (const auto& word : lookup.words) {
    query.bind(1, lookup.number);
    query.bind(2, lookup.layer);
    query.bind(3, word);
    query.bind(4, static_cast<std::int64_t>(wanted + several.size()));
    while (query.executeStep()) {
      const auto number = query.getColumn(0).getInt64();
      if (std::find(several.begin(), several.end(), number) == several.end()) found.push_back(number);
    }
    query.reset();
  }
  std::sort(found.begin(), found.end(), std::greater<>());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.size() > wanted) found.resize(wanted);
  return found;
}

std::string past_incidents_sql(std::size_t count) {
  return std::string("SELECT i.number, i.title, ") + family_layer_sql + ", COALESCE(fix.text, '') FROM incidents i" +
         causal_layer_join +
         " LEFT JOIN postmortem_sections fix ON fix.incident = i.number AND fix.field = 'system_change'"
         " WHERE i.number IN (" + placeholders(1, count) + ") ORDER BY i.number";
}

std::vector<PastIncident> past_incidents(SQLite::Database& db, const std::vector<std::int64_t>& numbers) {
  if (numbers.empty()) return {};
  SQLite::Statement query(db, past_incidents_sql(numbers.size()));
  for (std::size_t i = 0; i < numbers.size(); ++i) query.bind(static_cast<int>(i) + 1, numbers[i]);
  std::vector<PastIncident> incidents;
  while (query.executeStep()) {
    incidents.push_back(PastIncident{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                                     query.getColumn(2).getString(), query.getColumn(3).getString()});
  }
  return incidents;
}

void add_plan(SQLite::Database& db, const std::string& sql, std::vector<std::string>& steps) {
  SQLite::Statement query(db, "EXPLAIN QUERY PLAN " + sql);
  while (query.executeStep()) steps.push_back(query.getColumn(3).getString());
}

}  // namespace

void replace_incident_words(SQLite::Database& db, std::int64_t number) {
  for (const char* table : {"incident_words", "incident_word_pairs"}) {
    SQLite::Statement clear(db, std::string("DELETE FROM ") + table + " WHERE incident = ?");
    clear.bind(1, number);
    clear.exec();
  }
  SQLite::Statement incident(db, indexed_incidents_sql() + " WHERE i.number = ?");
  incident.bind(1, number);
  if (!incident.executeStep()) return;
  IndexWriter(db).write(number, incident.getColumn(1).getString(), incident.getColumn(2).getString(),
                        incident.getColumn(3).getString());
}

void index_incident_words(SQLite::Database& db) {
  db.exec("DELETE FROM incident_words");
  db.exec("DELETE FROM incident_word_pairs");
  SQLite::Statement incidents(db, indexed_incidents_sql());
  IndexWriter writer(db);
  while (incidents.executeStep())
    writer.write(incidents.getColumn(0).getInt64(), incidents.getColumn(1).getString(),
                 incidents.getColumn(2).getString(), incidents.getColumn(3).getString());
}

std::vector<PastIncident> family_candidates(SQLite::Database& db, std::int64_t number, std::string_view title,
                                            std::string_view layer) {
  if (layer.empty()) return {};  // the rule finds no family without a layer
  const Lookup lookup{number, lowercase_ascii(layer), workflows::significant_words(title)};
  auto named = sharing_several(db, lookup);
  // Every incident sharing two words outranks one sharing a single word; those fill what is left.
  if (named.size() < most_named) {
    const auto one = sharing_one(db, lookup, named, most_named - named.size());
    named.insert(named.end(), one.begin(), one.end());
  }
  return past_incidents(db, named);
}

std::vector<std::string> family_candidates_plan(SQLite::Database& db) {
  std::vector<std::string> steps;
  add_plan(db, several_by_pairs_sql(1, 2), steps);
  add_plan(db, several_by_words_sql(most_paired_words + 1), steps);
  add_plan(db, latest_with_word_sql(false), steps);
  add_plan(db, latest_with_word_sql(true), steps);
  add_plan(db, past_incidents_sql(most_named), steps);
  return steps;
}

}  // namespace incident_bot::store
