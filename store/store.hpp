#pragma once
// Persistence over SQLite. Every function takes the Database; callers own transactions.
#include "workflows/incident.hpp"
#include "workflows/postmortem.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::store {

inline constexpr int schema_version = 5;

// Opens (creating the file and its directory when absent) with WAL, synchronous=FULL, foreign
// keys and a 5 s busy timeout, then migrates. ":memory:" gives a private in-memory store.
// Throws std::runtime_error when the file's schema is newer than schema_version.
SQLite::Database open(const std::string& path);

// Brings the schema forward to schema_version, one numbered step at a time (PRAGMA user_version),
// each step in its own transaction: call it outside any transaction. Idempotent. Throws
// std::runtime_error, changing nothing, on a database newer than schema_version.
void migrate(SQLite::Database& db);
int current_version(SQLite::Database& db);

// --- incidents
std::int64_t next_incident_number(SQLite::Database& db);  // highest + 1; 1 when empty
// Insert or update; its specialists and changes are replaced, its timeline is left alone.
void save_incident(SQLite::Database& db, const Incident& incident);
std::optional<Incident> load_incident(SQLite::Database& db, std::int64_t number);
// Exact match; when a channel saw several incidents, the open one, else the latest.
std::optional<Incident> incident_in_channel(SQLite::Database& db, std::string_view channel);
std::vector<Incident> open_incidents(SQLite::Database& db);  // by number
// Open incidents where the user is detector, owner, comms or a specialist, by number.
std::vector<std::int64_t> open_incidents_held_by(SQLite::Database& db, std::string_view user);

// --- schedule (schedule.cpp): each incident's reminders, with the time the scheduler next looks at it.
// save_incident and load_incident keep Incident::reminders through these two.
void save_reminders(SQLite::Database& db, std::int64_t number, const Reminders& reminders);
void load_reminders(SQLite::Database& db, Incident& incident);
// The earliest due_at of any incident, through the index; nullopt when nothing is scheduled.
std::optional<Timestamp> earliest_due(SQLite::Database& db);
// Incidents with due_at <= now, earliest first, at most limit, through the index.
std::vector<std::int64_t> due_incidents(SQLite::Database& db, Timestamp now, int limit);
// SQLite's plan for due_incidents, one line per step, to show that it searches the index.
std::vector<std::string> due_incidents_plan(SQLite::Database& db);
// Stops the postmortem nudges; kept even when a stale Incident is saved afterwards.
void mark_postmortem_done(SQLite::Database& db, std::int64_t number, Timestamp at);

// --- timeline
void append_timeline(SQLite::Database& db, std::int64_t number, const std::vector<TimelineEntry>& entries);
std::vector<TimelineEntry> load_timeline(SQLite::Database& db, std::int64_t number);  // as appended

// --- postmortems: written sections, follow-up actions, done_at
Postmortem load_postmortem(SQLite::Database& db, std::int64_t number);  // empty when nothing was written
// Replaces the incident's sections and actions; the incident row must exist.
void save_postmortem(SQLite::Database& db, std::int64_t number, const Postmortem& postmortem);
// Incidents numbered below `number`, declined ones left out, for the repeat-family rule.
std::vector<PastIncident> past_incidents(SQLite::Database& db, std::int64_t number);

// --- outbox: posts written with the state change, delivered later in order per channel
struct OutboxRow {
  std::int64_t id = 0;
  std::string platform;  // console, slack, mattermost
  std::string channel;
  std::string kind;      // card, update, announcement, reminder, text …
  std::int64_t incident = 0;
  std::string payload;   // what the adapter sends, already rendered
  Timestamp created_at = 0;
  Timestamp not_before = 0;  // retry / rate-limit wait
  int attempts = 0;
};
std::int64_t enqueue_post(SQLite::Database& db, const OutboxRow& row);
// Undelivered rows of the platform with not_before <= now, by id, at most limit. A channel is
// blocked by its head: no row is returned while an earlier undelivered row of the same channel
// waits (not_before > now). Delivering each channel's rows in the order given keeps it in order.
std::vector<OutboxRow> pending_posts(SQLite::Database& db, std::string_view platform, Timestamp now, int limit);
// Both throw std::logic_error on an id that is not in the outbox.
void mark_delivered(SQLite::Database& db, std::int64_t id, std::string_view message_ref, Timestamp at);
// When the earliest undelivered post of the platform may be tried; nullopt when none waits.
std::optional<Timestamp> next_post_due(SQLite::Database& db, std::string_view platform);
void mark_failed_attempt(SQLite::Database& db, std::int64_t id, Timestamp retry_at, std::string_view error);

// --- delivery ids: a redelivered request gets the first answer and changes nothing.
// record_answer keeps the first answer for an id; an empty id is neither kept nor found.
std::optional<std::string> earlier_answer(SQLite::Database& db, std::string_view delivery_id);
void record_answer(SQLite::Database& db, std::string_view delivery_id, std::string_view answer, Timestamp at);

// --- a chat's ids for the channels and card messages it created for incidents
void remember_channel(SQLite::Database& db, std::string_view platform, std::string_view name,
                      std::string_view channel_id, std::int64_t incident);
std::optional<std::string> channel_id(SQLite::Database& db, std::string_view platform, std::string_view name);
std::optional<std::int64_t> incident_of_channel_id(SQLite::Database& db, std::string_view platform,
                                                   std::string_view channel_id);

struct CardMessage {
  std::string channel_id;
  std::string message_id;  // Slack's ts, Mattermost's post id
};
void remember_card(SQLite::Database& db, std::string_view platform, std::int64_t incident, const CardMessage& card);
std::optional<CardMessage> card_message(SQLite::Database& db, std::string_view platform, std::int64_t incident);

// A chat's user ids and their current names (chat_users.cpp): the last name seen wins.
void remember_user(SQLite::Database& db, std::string_view platform, std::string_view user_id, std::string_view name);
std::optional<std::string> user_name(SQLite::Database& db, std::string_view platform, std::string_view user_id);
std::optional<std::string> user_named(SQLite::Database& db, std::string_view platform, std::string_view name);

// A post that can never be delivered (the chat refused it for good): out of the queue, with the reason.
void mark_abandoned(SQLite::Database& db, std::int64_t id, std::string_view error, Timestamp at);

}  // namespace incident_bot::store
