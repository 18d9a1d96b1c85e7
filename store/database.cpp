// Opening the store and bringing its schema forward.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <sqlite3.h>

#include <array>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace incident_bot::store {
namespace {

constexpr int busy_timeout_ms = 5000;

struct Migration {
  int version;      // the user_version the database has once this step is applied
  const char* sql;  // one or more statements, run inside the step's transaction
  void (*back_fill)(SQLite::Database&) = nullptr;  // C++ work after the SQL, in the same transaction
};

// Append only: a released step is never edited, a schema change is a new step.
constexpr std::array migrations{
    Migration{1, R"sql(
CREATE TABLE incidents (
  number                   INTEGER PRIMARY KEY,
  title                    TEXT    NOT NULL,
  state                    TEXT    NOT NULL CHECK (state IN
                             ('triage', 'investigating', 'contained', 'monitoring', 'closed', 'declined')),
  severity                 INTEGER NOT NULL,
  is_private               INTEGER NOT NULL CHECK (is_private IN (0, 1)),
  channel                  TEXT    NOT NULL,
  declared_in              TEXT    NOT NULL,
  detector                 TEXT    NOT NULL,
  owner                    TEXT    NOT NULL,
  comms                    TEXT    NOT NULL,
  symptom                  TEXT    NOT NULL,
  scope                    TEXT    NOT NULL,
  layer                    TEXT    NOT NULL,
  confidence               TEXT    NOT NULL CHECK (confidence IN ('unknown', 'low', 'medium', 'high')),
  mitigation               TEXT    NOT NULL,
  next_check               TEXT    NOT NULL,
  next_check_owner         TEXT    NOT NULL,
  most_changes_in_flight   INTEGER NOT NULL,
  parallel_change_warnings INTEGER NOT NULL,
  update_count             INTEGER NOT NULL,
  declared_at              INTEGER NOT NULL,
  last_update_at           INTEGER NOT NULL,
  resolved_at              INTEGER NOT NULL,
  closed_at                INTEGER NOT NULL,
  next_update_due          INTEGER NOT NULL,
  resolution               TEXT    NOT NULL,
  decline_reason           TEXT    NOT NULL,
  close_reason             TEXT    NOT NULL,
  platform                 TEXT    NOT NULL DEFAULT 'console'
);
CREATE INDEX incidents_by_channel ON incidents (channel);
CREATE INDEX open_incidents_by_number ON incidents (number)
  WHERE state NOT IN ('closed', 'declined');
CREATE INDEX open_incidents_by_next_update_due ON incidents (next_update_due)
  WHERE state NOT IN ('closed', 'declined');

CREATE TABLE specialists (
  incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  user     TEXT    NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (incident, position)
);
CREATE INDEX specialists_by_user ON specialists (user);

CREATE TABLE changes (
  incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  sequence INTEGER NOT NULL,
  what     TEXT    NOT NULL,
  actor    TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  verified INTEGER NOT NULL CHECK (verified IN (0, 1)),
  PRIMARY KEY (incident, sequence)
);

-- Deferred so that a new incident's first entries may be written before the incident row.
CREATE TABLE timeline (
  id       INTEGER PRIMARY KEY AUTOINCREMENT,
  incident INTEGER NOT NULL REFERENCES incidents (number) DEFERRABLE INITIALLY DEFERRED,
  at       INTEGER NOT NULL,
  actor    TEXT    NOT NULL,
  kind     TEXT    NOT NULL,
  text     TEXT    NOT NULL
);
CREATE INDEX timeline_by_incident ON timeline (incident, id);

-- incident is 0 for posts that belong to no incident, hence no foreign key.
CREATE TABLE outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  platform     TEXT    NOT NULL,
  channel      TEXT    NOT NULL,
  kind         TEXT    NOT NULL,
  incident     INTEGER NOT NULL,
  payload      TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  not_before   INTEGER NOT NULL,
  attempts     INTEGER NOT NULL DEFAULT 0,
  delivered_at INTEGER,
  message_ref  TEXT,
  last_error   TEXT
);
CREATE INDEX outbox_pending ON outbox (delivered_at, platform, id);
CREATE INDEX outbox_undelivered_by_channel ON outbox (platform, channel, id)
  WHERE delivered_at IS NULL;

CREATE TABLE deliveries (
  delivery_id TEXT    PRIMARY KEY,
  answer      TEXT    NOT NULL,
  at          INTEGER NOT NULL
);
)sql"},
    // Reminders: one row per incident; due_at is NULL when nothing is ahead, so the index holds
    // only what the scheduler will wake for. Open incidents start their ladder from next_update_due.
    Migration{2, R"sql(
CREATE TABLE schedule (
  incident             INTEGER PRIMARY KEY REFERENCES incidents (number) ON DELETE CASCADE,
  due_at               INTEGER,
  own_cadence          INTEGER NOT NULL DEFAULT 0,
  ladder_deadline      INTEGER NOT NULL DEFAULT 0,
  ladder_step          INTEGER NOT NULL DEFAULT 0,
  snoozed_until        INTEGER NOT NULL DEFAULT 0,
  snoozed_deadline     INTEGER NOT NULL DEFAULT 0,
  comms_step           INTEGER NOT NULL DEFAULT 0,
  close_nudged_for     INTEGER NOT NULL DEFAULT 0,
  postmortem_nudged_at INTEGER NOT NULL DEFAULT 0,
  postmortem_done_at   INTEGER NOT NULL DEFAULT 0,
  updates_on_time      INTEGER NOT NULL DEFAULT 0,
  updates_late         INTEGER NOT NULL DEFAULT 0,
  late_total           INTEGER NOT NULL DEFAULT 0,
  late_most            INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX schedule_by_due_at ON schedule (due_at) WHERE due_at IS NOT NULL;
INSERT INTO schedule (incident, due_at)
  SELECT number, NULLIF(next_update_due, 0) FROM incidents WHERE state NOT IN ('closed', 'declined');
)sql"},
    Migration{3, R"sql(
-- A chat's own ids for the incident channels it created, and the message that is each incident's card.
CREATE TABLE chat_channels (
  platform   TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  channel_id TEXT    NOT NULL,
  incident   INTEGER NOT NULL,
  PRIMARY KEY (platform, name)
);
CREATE UNIQUE INDEX chat_channels_by_id ON chat_channels (platform, channel_id);

CREATE TABLE chat_cards (
  platform   TEXT    NOT NULL,
  incident   INTEGER NOT NULL,
  channel_id TEXT    NOT NULL,
  message_id TEXT    NOT NULL,
  PRIMARY KEY (platform, incident)
);
)sql"},
    // The postmortem: sections keyed by their canonical field name, follow-up actions, done_at.
    Migration{4, R"sql(
CREATE TABLE postmortems (
  incident INTEGER PRIMARY KEY REFERENCES incidents (number) ON DELETE CASCADE,
  done_at  INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE postmortem_sections (
  incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  field    TEXT    NOT NULL,
  text     TEXT    NOT NULL,
  PRIMARY KEY (incident, field)
);
CREATE TABLE postmortem_actions (
  incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  sequence INTEGER NOT NULL,
  text     TEXT    NOT NULL,
  owner    TEXT    NOT NULL,
  due_at   INTEGER NOT NULL,
  added_by TEXT    NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (incident, sequence)
);
)sql"},
    // A chat's user ids with the names it mentions them by (Mattermost writes @name, the store keeps ids).
    Migration{5, R"sql(
CREATE TABLE chat_users (
  platform TEXT NOT NULL,
  user_id  TEXT NOT NULL,
  name     TEXT NOT NULL,
  PRIMARY KEY (platform, user_id)
);
CREATE INDEX chat_users_by_name ON chat_users (platform, name);
)sql"},
    // Delivery that can be trusted: failed rows leave the queue without counting as delivered,
    // claims keep two workers off one row, in_doubt marks a call whose outcome is unknown.
    Migration{6, R"sql(
ALTER TABLE outbox ADD COLUMN failed_at INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;
ALTER TABLE outbox ADD COLUMN claimed_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0 CHECK (in_doubt IN (0, 1));
UPDATE outbox SET failed_at = delivered_at, delivered_at = NULL
  WHERE delivered_at IS NOT NULL AND message_ref IS NULL;
DROP INDEX outbox_undelivered_by_channel;
CREATE INDEX outbox_open_by_channel ON outbox (platform, channel, id)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_open_by_created ON outbox (created_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed ON outbox (id) WHERE failed_at IS NOT NULL;
CREATE INDEX outbox_open_by_incident ON outbox (platform, incident, kind, id)
  WHERE delivered_at IS NULL AND failed_at IS NULL;

CREATE TABLE channel_failures (
  platform TEXT    NOT NULL,
  name     TEXT    NOT NULL,
  error    TEXT    NOT NULL,
  at       INTEGER NOT NULL,
  PRIMARY KEY (platform, name)
);
CREATE TABLE channel_creations (
  platform  TEXT NOT NULL,
  name      TEXT NOT NULL,
  asked_for TEXT NOT NULL,
  PRIMARY KEY (platform, name)
);
)sql"},
    // The repeat-family index (store/incident_words.cpp): significant title words, hence filled in C++,
    // and the pairs of them, keyed by the family layer lowercased; title_words is how many the title has.
    // Declined incidents have no rows. The 2 and 16 are the rule's short title and the longest paired one.
    Migration{7, R"sql(
CREATE TABLE incident_words (
  word        TEXT    NOT NULL,
  layer       TEXT    NOT NULL,
  incident    INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  title_words INTEGER NOT NULL,
  PRIMARY KEY (word, layer, incident)
) WITHOUT ROWID;
CREATE INDEX incident_words_by_incident ON incident_words (incident);
CREATE INDEX incident_words_of_short_titles ON incident_words (word, layer, incident, title_words)
  WHERE title_words <= 2;
CREATE INDEX incident_words_of_long_titles ON incident_words (word, layer, incident, title_words)
  WHERE title_words > 16;
CREATE TABLE incident_word_pairs (
  pair     TEXT    NOT NULL,
  layer    TEXT    NOT NULL,
  incident INTEGER NOT NULL REFERENCES incidents (number) ON DELETE CASCADE,
  PRIMARY KEY (pair, layer, incident)
) WITHOUT ROWID;
CREATE INDEX incident_word_pairs_by_incident ON incident_word_pairs (incident);
)sql", index_incident_words},
    // Pruning (bot/core/store_upkeep.cpp): the oldest delivery ids by time, without a scan of the table.
    // Delivered outbox rows need no new index: outbox_pending leads with delivered_at.
    Migration{8, R"sql(
CREATE INDEX deliveries_by_at ON deliveries (at);
)sql"},
    // The public status page: each incident's entry and its public updates (display_at NULL while held for
    // the owner's release), the public state the card shows, and the publish nudge. revision orders the
    // entries' changes, so a page snapshot knows when it is stale from one indexed read.
    Migration{9, R"sql(
ALTER TABLE incidents ADD COLUMN public_published INTEGER NOT NULL DEFAULT 0 CHECK (public_published IN (0, 1));
ALTER TABLE incidents ADD COLUMN public_status TEXT NOT NULL DEFAULT 'investigating'
  CHECK (public_status IN ('investigating', 'identified', 'monitoring', 'resolved'));
ALTER TABLE incidents ADD COLUMN public_impact TEXT NOT NULL DEFAULT 'none'
  CHECK (public_impact IN ('none', 'minor', 'major', 'critical'));
ALTER TABLE incidents ADD COLUMN public_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE incidents ADD COLUMN public_held INTEGER NOT NULL DEFAULT 0;
ALTER TABLE schedule ADD COLUMN impact_definite_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE schedule ADD COLUMN publish_nudged INTEGER NOT NULL DEFAULT 0 CHECK (publish_nudged IN (0, 1));

CREATE TABLE public_entries (
  incident           INTEGER PRIMARY KEY REFERENCES incidents (number) ON DELETE CASCADE,
  public_id          TEXT    NOT NULL UNIQUE,
  title              TEXT    NOT NULL,
  held_title         TEXT    NOT NULL,
  created_at         INTEGER NOT NULL,
  withdrawn_at       INTEGER NOT NULL,
  withdrawn_reason   TEXT    NOT NULL,
  postmortem_summary TEXT    NOT NULL,
  postmortem_at      INTEGER NOT NULL,
  revision           INTEGER NOT NULL
);
CREATE UNIQUE INDEX public_entries_by_revision ON public_entries (revision);
CREATE TABLE public_updates (
  incident   INTEGER NOT NULL REFERENCES public_entries (incident) ON DELETE CASCADE,
  sequence   INTEGER NOT NULL,
  status     TEXT    NOT NULL CHECK (status IN ('investigating', 'identified', 'monitoring', 'resolved')),
  impact     TEXT    NOT NULL CHECK (impact IN ('none', 'minor', 'major', 'critical')),
  body       TEXT    NOT NULL,
  components TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  display_at INTEGER,
  PRIMARY KEY (incident, sequence)
) WITHOUT ROWID;
)sql"},
};

constexpr bool numbered_one_by_one() {
  for (std::size_t i = 0; i < migrations.size(); ++i)
    if (migrations[i].version != static_cast<int>(i) + 1) return false;
  return true;
}
static_assert(numbered_one_by_one(), "migration steps are numbered 1, 2, 3, … in order");
static_assert(migrations.back().version == schema_version, "schema_version names the last step");

void refuse_if_newer(int found) {
  if (found > schema_version)
    throw std::runtime_error("the store's schema version is " + std::to_string(found) +
                             ", newer than this incident-bot knows (" + std::to_string(schema_version) +
                             "); run a newer incident-bot or point store.path at another file");
}

bool is_in_memory(const std::string& path) {
  return path.empty() || path == ":memory:";
}

}  // namespace

Connection open(const std::string& path) {
  // No up-front page-cache block per pager: each statement's small temporary b-trees (an IN list, a sort)
  // would otherwise allocate and free one per step. Ignored once SQLite is initialised.
  static const int configured = sqlite3_config(SQLITE_CONFIG_PAGECACHE, nullptr, 0, 0);
  (void)configured;
  if (!is_in_memory(path)) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
  }
  Connection db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE, busy_timeout_ms);
  // WAL lets readers run beside the writer; an in-memory database has no log to keep.
  if (!is_in_memory(path)) db.exec("PRAGMA journal_mode = WAL");
  // FULL: a command acknowledged to the user survives a power cut, not only a crash.
  db.exec("PRAGMA synchronous = FULL");
  db.exec("PRAGMA foreign_keys = ON");
  // Each command's savepoint journals the pages it changes: in memory, not through a temporary file.
  db.exec("PRAGMA temp_store = MEMORY");
  migrate(db);
  return db;
}

int current_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

void migrate(SQLite::Database& db) {
  refuse_if_newer(current_version(db));
  for (const auto& step : migrations) {
    // IMMEDIATE takes the write lock first, so two processes never apply the same step.
    SQLite::Transaction transaction(db, SQLite::TransactionBehavior::IMMEDIATE);
    const int found = current_version(db);
    refuse_if_newer(found);
    if (found >= step.version) continue;
    db.exec(step.sql);
    if (step.back_fill) step.back_fill(db);
    // PRAGMA takes no bound parameter; the number is the step's own constant.
    db.exec("PRAGMA user_version = " + std::to_string(step.version));
    transaction.commit();
  }
}

}  // namespace incident_bot::store
