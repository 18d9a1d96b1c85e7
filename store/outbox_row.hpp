#pragma once
// Reading outbox rows: shared by the delivery queries and the operator's listing.
#include "store/store.hpp"

#include <SQLiteCpp/Statement.h>

namespace incident_bot::store {

// The columns read_outbox_row expects, in its order.
inline constexpr const char* outbox_row_columns =
    "id, platform, channel, kind, incident, payload, created_at, not_before, attempts, in_doubt, "
    "COALESCE(last_error, '')";

OutboxRow read_outbox_row(SQLite::Statement& query);
std::vector<OutboxRow> read_outbox_rows(SQLite::Statement& query);

}  // namespace incident_bot::store
