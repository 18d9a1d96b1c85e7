#pragma once
// Persistence over SQLite. Every function takes the Database; callers own transactions.
#include "store/connection.hpp"
#include "workflows/incident.hpp"
#include "workflows/outcome.hpp"
#include "workflows/postmortem.hpp"
#include "workflows/public_entry.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace incident_bot::store {

inline constexpr int schema_version = 9;

// Opens (creating the file and its directory when absent) with WAL, synchronous=FULL, foreign
// keys and a 5 s busy timeout, then migrates. ":memory:" gives a private in-memory store.
// Throws std::runtime_error when the file's schema is newer than schema_version.
Connection open(const std::string& path);

// Brings the schema forward to schema_version, one numbered step at a time (PRAGMA user_version),
// each step in its own transaction: call it outside any transaction. Idempotent. Throws
// std::runtime_error, changing nothing, on a database newer than schema_version.
void migrate(SQLite::Database& db);
int current_version(SQLite::Database& db);

// --- incidents
std::int64_t next_incident_number(SQLite::Database& db);  // highest + 1; 1 when empty
// Insert or update; its specialists and changes are replaced, its timeline is left alone. `stored` is the
// incident as loaded in this transaction, when there is one: only the parts that differ from it are written.
void save_incident(SQLite::Database& db, const Incident& incident, const Incident* stored = nullptr);
std::optional<Incident> load_incident(SQLite::Database& db, std::int64_t number);
// Exact match; when a channel saw several incidents, the open one, else the latest.
std::optional<Incident> incident_in_channel(SQLite::Database& db, std::string_view channel);
std::vector<Incident> open_incidents(SQLite::Database& db);  // by number
// Open incidents where the user is detector, owner, comms or a specialist, by number.
std::vector<std::int64_t> open_incidents_held_by(SQLite::Database& db, std::string_view user);
// Who declared it: the actor of its "declared" timeline entry; nullopt when it has none.
std::optional<UserId> declarer_of(SQLite::Database& db, std::int64_t number);

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

// --- the public status page (public_entries.cpp): each incident's entry and its public updates
PublicEntry load_public_entry(SQLite::Database& db, std::int64_t number);  // empty when never published
// Replaces the incident's entry and updates; the incident row must exist. Each save takes a new revision.
void save_public_entry(SQLite::Database& db, std::int64_t number, const PublicEntry& entry);
// The highest revision of any entry: it changes whenever something the page may show changes; 0 when none.
std::int64_t public_revision(SQLite::Database& db);
// Every entry that is on the page (released updates, not withdrawn) with only its released updates, and the
// withdrawn or unreleased ones left out; newest first by the latest public update.
std::vector<PublicEntry> public_entries(SQLite::Database& db);

// --- the repeat-family index (incident_words.cpp): each incident's significant title words by family layer
// Rewrites one incident's words from its stored title, family layer and state; save_incident and
// save_postmortem call it.
void replace_incident_words(SQLite::Database& db, std::int64_t number);
// Rewrites every incident's words: the back-fill of the migration step that created the index.
void index_incident_words(SQLite::Database& db);
// The earlier incidents (numbered below `number`, declined ones left out) that workflows::same_family names
// for this title and layer, found through the index and ranked and capped as the rule does; by number.
// The rule over these gives what it gives over every earlier incident, at a cost that does not grow with them.
std::vector<PastIncident> family_candidates(SQLite::Database& db, std::int64_t number, std::string_view title,
                                            std::string_view layer);
// SQLite's plans for family_candidates' queries, one line per step, to show that they search the indexes.
std::vector<std::string> family_candidates_plan(SQLite::Database& db);

// --- outbox (outbox.cpp): posts written with the state change, delivered later in order per channel.
// A row is open until it is delivered or failed; the open rows of one channel go out one at a time, by id.
struct OutboxRow {
  std::int64_t id = 0;
  std::string platform;  // console, slack, mattermost
  std::string channel;   // a channel name or id; a person for direct posts
  workflows::PostKind kind = workflows::PostKind::notice;
  std::int64_t incident = 0;
  std::string payload;   // what the chat is sent, already rendered
  Timestamp created_at = 0;
  Timestamp not_before = 0;  // retry / rate-limit wait
  int attempts = 0;
  bool in_doubt = false;     // an earlier attempt went out and its outcome is unknown
  std::string last_error;
};
std::int64_t enqueue_post(SQLite::Database& db, const OutboxRow& row);
// Open rows of the platform with not_before <= now, by id, at most limit. Delivering each channel's
// rows in the order given, stopping at its first failure, keeps it in order.
std::vector<OutboxRow> pending_posts(SQLite::Database& db, std::string_view platform, Timestamp now, int limit);
// The first open row of each channel of the platform, when it is due and no other worker holds a
// live claim on it; by id, at most limit. A row behind its channel's head is never returned, nor a
// post of an incident whose earlier card is still open (the card makes the channel it links).
std::vector<OutboxRow> channel_heads(SQLite::Database& db, std::string_view platform, std::string_view worker,
                                     Timestamp now, int limit);
// The first open row of one channel, when it is due and no other worker holds a live claim on it.
std::optional<OutboxRow> channel_head(SQLite::Database& db, std::string_view platform, std::string_view channel,
                                      std::string_view worker, Timestamp now);
std::optional<OutboxRow> outbox_row(SQLite::Database& db, std::int64_t id);
// Workers holding live claims on rows of the platform, so that a restarted process can take over its own.
std::vector<std::string> claiming_workers(SQLite::Database& db, std::string_view platform, Timestamp now);
void expire_claims(SQLite::Database& db, std::string_view worker);
// Takes the row for `worker` until `until`; false when it is closed or another worker's claim is live.
bool claim_row(SQLite::Database& db, std::int64_t id, std::string_view worker, Timestamp now, Timestamp until);
void renew_claims(SQLite::Database& db, std::string_view worker, Timestamp until);
void release_claim(SQLite::Database& db, std::int64_t id, std::string_view worker);
// Written before a call that would post twice if repeated: until an answer is recorded, the outcome is unknown.
void mark_in_doubt(SQLite::Database& db, std::int64_t id);
// Each of these closes or reschedules the row and drops its claim; std::logic_error on an unknown id.
void mark_delivered(SQLite::Database& db, std::int64_t id, std::string_view message_ref, Timestamp at);
void mark_retry(SQLite::Database& db, std::int64_t id, Timestamp retry_at, std::string_view error, bool in_doubt);
void mark_failed(SQLite::Database& db, std::int64_t id, std::string_view error, Timestamp at);
// When the earliest channel head of the platform may be tried (its wait or another's claim ends).
std::optional<Timestamp> next_post_due(SQLite::Database& db, std::string_view platform);
// created_at of the oldest open row of any platform; nullopt when every row is delivered or failed.
std::optional<Timestamp> oldest_open_post(SQLite::Database& db);
// Deletes at most `limit` rows delivered before `before`, oldest first; returns how many. Open and failed rows
// stay, and so does a delivered row while a later open row of its channel waits.
int prune_delivered(SQLite::Database& db, Timestamp before, int limit);

// --- the operator's view of the outbox (outbox_admin.cpp)
struct OutboxListing {
  OutboxRow row;
  bool failed = false;
};
// Rows not yet delivered (open and failed), oldest first; only the failed ones when failed_only.
std::vector<OutboxListing> undelivered_posts(SQLite::Database& db, bool failed_only, int limit);
// Makes failed rows open and due at `now` again (one, or every one when id is nullopt), and forgets
// the channel failures behind them so a channel is created anew. Returns how many rows.
int retry_failed(SQLite::Database& db, std::optional<std::int64_t> id, Timestamp now);
// Gives one open row up, with the reason; false when no open row has that id.
bool drop_post(SQLite::Database& db, std::int64_t id, std::string_view reason, Timestamp at);

// A channel that could not be created for good: its rows fail with this error until an operator retries.
void remember_channel_failure(SQLite::Database& db, std::string_view platform, std::string_view name,
                              std::string_view error, Timestamp at);
std::optional<std::string> channel_failure(SQLite::Database& db, std::string_view platform, std::string_view name);
// A creation call whose outcome is unknown: the name it asked for, until the answer is known.
void begin_channel_creation(SQLite::Database& db, std::string_view platform, std::string_view name,
                            std::string_view asked_for);
std::optional<std::string> channel_creation_in_doubt(SQLite::Database& db, std::string_view platform,
                                                     std::string_view name);
void end_channel_creation(SQLite::Database& db, std::string_view platform, std::string_view name);

// --- delivery ids: a redelivered request gets the first answer and changes nothing.
// record_answer keeps the first answer for an id; an empty id is neither kept nor found.
std::optional<std::string> earlier_answer(SQLite::Database& db, std::string_view delivery_id);
void record_answer(SQLite::Database& db, std::string_view delivery_id, std::string_view answer, Timestamp at);
// Forgets at most `limit` ids answered before `before`, oldest first; returns how many. A redelivery of a
// forgotten id is then a new request: platforms redeliver within minutes, so the kept window is generous.
int prune_deliveries(SQLite::Database& db, Timestamp before, int limit);

// --- a chat's ids for the channels and card messages it created for incidents
void remember_channel(SQLite::Database& db, std::string_view platform, std::string_view name,
                      std::string_view channel_id, std::int64_t incident);
std::optional<std::string> channel_id(SQLite::Database& db, std::string_view platform, std::string_view name);
std::optional<std::int64_t> incident_of_channel_id(SQLite::Database& db, std::string_view platform,
                                                   std::string_view channel_id);
// A private incident's channel as a chat knows it, for asking the chat who is in it.
struct PrivateChannel {
  std::int64_t incident = 0;
  std::string channel_id;
};
// The channels the chat made for private incidents: every open one's, or only `number`'s (in any state); by number.
std::vector<PrivateChannel> private_channels(SQLite::Database& db, std::string_view platform,
                                             std::optional<std::int64_t> number = std::nullopt);

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


}  // namespace incident_bot::store
