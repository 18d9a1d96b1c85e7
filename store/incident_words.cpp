// The repeat-family index: each incident's significant title words under its family layer, so that
// a declaration finds the earlier incidents it may repeat without reading the whole history.
// The words come from workflows::significant_words, the rule's own function: a change to that function
// needs a migration step that runs index_incident_words again.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

namespace incident_bot::store {
namespace {

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

class WordWriter {
 public:
  explicit WordWriter(SQLite::Database& db)
      : insert_(db, "INSERT INTO incident_words (word, layer, incident, title_words) VALUES (?, ?, ?, ?)") {}

  void write(std::int64_t number, const std::string& title, const std::string& layer) {
    const auto words = workflows::significant_words(title);
    const std::string layer_key = lowercase_ascii(layer);
    for (const auto& word : words) {
      insert_.bind(1, word);
      insert_.bind(2, layer_key);
      insert_.bind(3, number);
      insert_.bind(4, static_cast<std::int64_t>(words.size()));
      insert_.exec();
      insert_.reset();
    }
  }

 private:
  SQLite::Statement insert_;
};

std::string candidates_sql(std::size_t word_count) {
  std::string words;
  for (std::size_t i = 0; i < word_count; ++i) words += (i == 0 ? "?" : ", ?") + std::to_string(i + 4);
  // HAVING mirrors same_family's threshold (workflows/family.cpp): two shared words, or one that is at
  // least half of the shorter title's words. No LIMIT: the rule ranks and caps the matches itself.
  return std::string(R"sql(
    WITH shared AS (
      SELECT incident FROM incident_words
      WHERE word IN ()sql") + words + R"sql() AND layer = ?2 AND incident < ?1
      GROUP BY incident
      HAVING count(*) >= 2 OR (count(*) = 1 AND 2 * count(*) >= min(?3, max(title_words))))
    SELECT i.number, i.title, )sql" + family_layer_sql + R"sql(, COALESCE(fix.text, '')
    FROM shared JOIN incidents i ON i.number = shared.incident)sql" + causal_layer_join + R"sql(
    LEFT JOIN postmortem_sections fix ON fix.incident = i.number AND fix.field = 'system_change'
    WHERE i.state != 'declined'
    ORDER BY i.number)sql";
}

void bind_candidates(SQLite::Statement& query, std::int64_t number, const std::string& layer,
                     const std::vector<std::string>& words) {
  query.bind(1, number);
  query.bind(2, lowercase_ascii(layer));
  query.bind(3, static_cast<std::int64_t>(words.size()));
  for (std::size_t i = 0; i < words.size(); ++i) query.bind(static_cast<int>(i) + 4, words[i]);
}

}  // namespace

void replace_incident_words(SQLite::Database& db, std::int64_t number) {
  SQLite::Statement clear(db, "DELETE FROM incident_words WHERE incident = ?");
  clear.bind(1, number);
  clear.exec();
  SQLite::Statement incident(db, std::string("SELECT i.title, ") + family_layer_sql + " FROM incidents i" +
                                     causal_layer_join + " WHERE i.number = ?");
  incident.bind(1, number);
  if (!incident.executeStep()) return;
  WordWriter(db).write(number, incident.getColumn(0).getString(), incident.getColumn(1).getString());
}

void index_incident_words(SQLite::Database& db) {
  db.exec("DELETE FROM incident_words");
  SQLite::Statement incidents(db, std::string("SELECT i.number, i.title, ") + family_layer_sql + " FROM incidents i" +
                                      causal_layer_join);
  WordWriter writer(db);
  while (incidents.executeStep())
    writer.write(incidents.getColumn(0).getInt64(), incidents.getColumn(1).getString(),
                 incidents.getColumn(2).getString());
}

std::vector<PastIncident> family_candidates(SQLite::Database& db, std::int64_t number, std::string_view title,
                                            std::string_view layer) {
  const auto words = workflows::significant_words(title);
  if (words.empty() || layer.empty()) return {};  // the rule finds no family for these
  SQLite::Statement query(db, candidates_sql(words.size()));
  bind_candidates(query, number, std::string(layer), words);
  std::vector<PastIncident> candidates;
  while (query.executeStep()) {
    candidates.push_back(PastIncident{query.getColumn(0).getInt64(), query.getColumn(1).getString(),
                                      query.getColumn(2).getString(), query.getColumn(3).getString()});
  }
  return candidates;
}

std::vector<std::string> family_candidates_plan(SQLite::Database& db) {
  SQLite::Statement query(db, "EXPLAIN QUERY PLAN " + candidates_sql(2));
  bind_candidates(query, 1, "layer", {"first", "second"});
  std::vector<std::string> steps;
  while (query.executeStep()) steps.push_back(query.getColumn(3).getString());
  return steps;
}

}  // namespace incident_bot::store
