// Postmortems: the sections people wrote, the follow-up actions, when it was marked done.
#include "store/store.hpp"

#include "store/connection.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>
#include <stdexcept>
#include <utility>

namespace incident_bot::store {
namespace {

// The names written to the store are part of the schema: they do not follow the command words.
constexpr std::array<std::pair<PostmortemField, const char*>, 9> field_names{{
    {PostmortemField::summary, "summary"},
    {PostmortemField::what_happened, "what_happened"},
    {PostmortemField::cost, "cost"},
    {PostmortemField::detection_gap, "detection_gap"},
    {PostmortemField::causal_layer, "causal_layer"},
    {PostmortemField::evidence, "evidence"},
    {PostmortemField::system_change, "system_change"},
    {PostmortemField::response, "response"},
    {PostmortemField::public_summary, "public_summary"},
}};

const char* name_of(PostmortemField field) {
  for (const auto& [candidate, name] : field_names)
    if (candidate == field) return name;
  throw std::logic_error("a postmortem field has no stored name");
}

PostmortemField field_of(const std::string& stored) {
  for (const auto& [field, name] : field_names)
    if (stored == name) return field;
  throw std::runtime_error("unknown postmortem field '" + stored + "' in the store");
}

void remove_rows(SQLite::Database& db, const char* table, std::int64_t number) {
  Prepared clear(db, std::string("DELETE FROM ") + table + " WHERE incident = ?");
  clear.bind(1, number);
  clear.exec();
}

}  // namespace

Postmortem load_postmortem(SQLite::Database& db, std::int64_t number) {
  Postmortem postmortem;
  Prepared done(db, "SELECT done_at FROM postmortems WHERE incident = ?");
  done.bind(1, number);
  if (done.executeStep()) postmortem.done_at = done.getColumn(0).getInt64();

  Prepared sections(db, "SELECT field, text FROM postmortem_sections WHERE incident = ?");
  sections.bind(1, number);
  while (sections.executeStep())
    postmortem.sections[field_of(sections.getColumn(0).getString())] = sections.getColumn(1).getString();

  Prepared actions(db,
                            "SELECT sequence, text, owner, due_at, added_by, added_at FROM postmortem_actions "
                            "WHERE incident = ? ORDER BY sequence");
  actions.bind(1, number);
  while (actions.executeStep()) {
    FollowUp action;
    action.sequence = actions.getColumn(0).getInt64();
    action.text = actions.getColumn(1).getString();
    action.owner = actions.getColumn(2).getString();
    action.due = actions.getColumn(3).getInt64();
    action.added_by = actions.getColumn(4).getString();
    action.added_at = actions.getColumn(5).getInt64();
    postmortem.actions.push_back(std::move(action));
  }
  return postmortem;
}

void save_postmortem(SQLite::Database& db, std::int64_t number, const Postmortem& postmortem) {
  execute(db, "SAVEPOINT save_postmortem");
  try {
    Prepared upsert(db,
                             "INSERT INTO postmortems (incident, done_at) VALUES (?, ?) "
                             "ON CONFLICT (incident) DO UPDATE SET done_at = excluded.done_at");
    upsert.bind(1, number);
    upsert.bind(2, postmortem.done_at);
    upsert.exec();

    remove_rows(db, "postmortem_sections", number);
    Prepared section(db, "INSERT INTO postmortem_sections (incident, field, text) VALUES (?, ?, ?)");
    for (const auto& [field, text] : postmortem.sections) {
      section.bind(1, number);
      section.bind(2, name_of(field));
      section.bind(3, text);
      section.exec();
      section.reset();
    }

    remove_rows(db, "postmortem_actions", number);
    Prepared action(db,
                             "INSERT INTO postmortem_actions (incident, sequence, text, owner, due_at, added_by, "
                             "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& follow_up : postmortem.actions) {
      action.bind(1, number);
      action.bind(2, follow_up.sequence);
      action.bind(3, follow_up.text);
      action.bind(4, follow_up.owner);
      action.bind(5, follow_up.due);
      action.bind(6, follow_up.added_by);
      action.bind(7, follow_up.added_at);
      action.exec();
      action.reset();
    }
    replace_incident_words(db, number);  // the causal layer is the family layer its words are indexed under
    execute(db, "RELEASE save_postmortem");
  } catch (...) {
    execute(db, "ROLLBACK TO save_postmortem");
    execute(db, "RELEASE save_postmortem");
    throw;
  }
}

}  // namespace incident_bot::store
