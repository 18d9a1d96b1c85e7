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
// A title with more words keeps no pairs (their number grows with the square); the partial index
// incident_words_of_long_titles (migration 7) finds such titles by their words instead.
constexpr std::size_t most_paired_words = 16;
// One shared word is enough when the shorter title has at most two: incident_words_of_short_titles.
constexpr const char* short_title = "title_words <= 2";
// The queries name the partial indexes (INDEXED BY): without statistics SQLite would walk the primary key
// and test every row's title_words; and a condition that no longer matches its index fails to prepare.
std::string long_title() {
  return "title_words > " + std::to_string(most_paired_words);
}

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
  Prepared word_;
  Prepared pair_;
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

// Each row is one incident holding the key (?3): a pair of words, or a word, of this layer, earlier.
constexpr const char* with_pair_sql =
    "SELECT incident FROM incident_word_pairs WHERE pair = ?3 AND layer = ?2 AND incident < ?1";
std::string with_word_sql(bool long_titles_only) {
  return std::string("SELECT incident FROM incident_words") +
         (long_titles_only ? " INDEXED BY incident_words_of_long_titles" : "") +
         " WHERE word = ?3 AND layer = ?2 AND incident < ?1" +
         (long_titles_only ? " AND " + long_title() : "");
}

// The latest holders of one pair, newest first, at most ?4.
const std::string latest_with_pair_sql = std::string(with_pair_sql) + " ORDER BY incident DESC LIMIT ?4";

// How many of the keys each incident holds, as (incident, count), by incident; with `latest`, only the
// newest `latest` holders of each key (the SQL must then order and limit by ?4).
std::vector<std::pair<std::int64_t, std::int64_t>> holders(SQLite::Database& db, const std::string& sql,
                                                            const Lookup& lookup,
                                                            const std::vector<std::string>& keys,
                                                            std::int64_t latest = 0) {
  Prepared query(db, sql);
  std::vector<std::int64_t> rows;
  for (const auto& key : keys) {
    query.bind(1, lookup.number);
    query.bind(2, lookup.layer);
    query.bind(3, key);
    if (latest > 0) query.bind(4, latest);
    while (query.executeStep()) rows.push_back(query.getColumn(0).getInt64());
    query.reset();
  }
  std::sort(rows.begin(), rows.end());
  std::vector<std::pair<std::int64_t, std::int64_t>> counted;
  for (const auto number : rows) {
    if (counted.empty() || counted.back().first != number) counted.emplace_back(number, 0);
    ++counted.back().second;
  }
  return counted;
}

// The latest incidents with one word, walking the index backwards; only short titles when this one is long.
std::string latest_with_word_sql(bool short_titles_only) {
  return std::string("SELECT incident FROM incident_words") +
         (short_titles_only ? " INDEXED BY incident_words_of_short_titles" : "") +
         " WHERE word = ?3 AND layer = ?2 AND incident < ?1" +
         (short_titles_only ? std::string(" AND ") + short_title : "") + " ORDER BY incident DESC LIMIT ?4";
}

// The best incidents sharing two or more words, as the rule ranks them; at most most_named. Ranked by the
// pairs of words shared, k words making k(k-1)/2 pairs, which orders them as the words do. A title too
// long to keep pairs is counted by its words; a title too long to look its own pairs up counts words only.
std::vector<std::int64_t> sharing_several(SQLite::Database& db, const Lookup& lookup) {
  if (lookup.words.size() < 2) return {};
  std::vector<std::pair<std::int64_t, std::int64_t>> ranked;  // (pairs shared, incident)
  const auto add_by_words = [&](bool long_titles_only) {
    for (const auto& [number, words] : holders(db, with_word_sql(long_titles_only), lookup, lookup.words))
      if (words >= 2) ranked.emplace_back(words * (words - 1) / 2, number);
  };
  if (lookup.words.size() == 2) {
    // One pair: every holder shares both words and ranks the same, so the newest few are the best few.
    for (const auto& [number, pairs] :
         holders(db, latest_with_pair_sql, lookup, pairs_of(lookup.words), static_cast<std::int64_t>(most_named)))
      ranked.emplace_back(pairs, number);
    add_by_words(true);
  } else if (lookup.words.size() <= most_paired_words) {
    for (const auto& [number, pairs] : holders(db, with_pair_sql, lookup, pairs_of(lookup.words)))
      ranked.emplace_back(pairs, number);
    add_by_words(true);
  } else {
    add_by_words(false);
  }
  std::sort(ranked.begin(), ranked.end(), std::greater<>());
  std::vector<std::int64_t> numbers;
  for (std::size_t i = 0; i < ranked.size() && i < most_named; ++i) numbers.push_back(ranked[i].second);
  return numbers;
}

// The latest incidents sharing exactly one word when that is enough for the rule (the shorter title has
// at most two words), `wanted` of them. `several` must hold every incident sharing more: each other
// incident found through two words would share two.
std::vector<std::int64_t> sharing_one(SQLite::Database& db, const Lookup& lookup,
                                      const std::vector<std::int64_t>& several, std::size_t wanted) {
  Prepared query(db, latest_with_word_sql(lookup.words.size() > 2));
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
  Prepared query(db, past_incidents_sql(numbers.size()));
  for (std::size_t i = 0; i < numbers.size(); ++i) query.bind(static_cast<int>(i) + 1, numbers[i]);
  std::vector<PastIncident> incidents;
  while (query.executeStep()) {
    incidents.push_back(PastIncident{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                                     query.getColumn(2).getString(), query.getColumn(3).getString()});
  }
  return incidents;
}

void add_plan(SQLite::Database& db, const std::string& sql, std::vector<std::string>& steps) {
  Prepared query(db, "EXPLAIN QUERY PLAN " + sql);
  while (query.executeStep()) steps.push_back(query.getColumn(3).getString());
}

}  // namespace

void replace_incident_words(SQLite::Database& db, std::int64_t number) {
  for (const char* table : {"incident_words", "incident_word_pairs"}) {
    Prepared clear(db, std::string("DELETE FROM ") + table + " WHERE incident = ?");
    clear.bind(1, number);
    clear.exec();
  }
  Prepared incident(db, indexed_incidents_sql() + " WHERE i.number = ?");
  incident.bind(1, number);
  if (!incident.executeStep()) return;
  IndexWriter(db).write(number, incident.getColumn(1).getString(), incident.getColumn(2).getString(),
                        incident.getColumn(3).getString());
}

void index_incident_words(SQLite::Database& db) {
  execute(db, "DELETE FROM incident_words");
  execute(db, "DELETE FROM incident_word_pairs");
  Prepared incidents(db, indexed_incidents_sql());
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
  add_plan(db, with_pair_sql, steps);
  add_plan(db, latest_with_pair_sql, steps);
  add_plan(db, with_word_sql(true), steps);
  add_plan(db, with_word_sql(false), steps);
  add_plan(db, latest_with_word_sql(false), steps);
  add_plan(db, latest_with_word_sql(true), steps);
  add_plan(db, past_incidents_sql(most_named), steps);
  return steps;
}

}  // namespace incident_bot::store
