#include "store/connection.hpp"

#include <mutex>
#include <unordered_map>

namespace incident_bot::store {

struct CachedStatement {
  std::unique_ptr<SQLite::Statement> statement;
  bool in_use = false;
};

class StatementCache {
 public:
  explicit StatementCache(sqlite3* handle) : handle_(handle) {}
  sqlite3* handle() const { return handle_; }
  CachedStatement& entry(SQLite::Database& db, std::string_view sql) {
    auto found = statements_.find(sql);
    if (found == statements_.end())
      found = statements_.emplace(std::string(sql), CachedStatement{std::make_unique<SQLite::Statement>(db, std::string(sql))})
                  .first;
    return found->second;
  }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  sqlite3* handle_;
  std::unordered_map<std::string, CachedStatement, Hash, std::equal_to<>> statements_;
};

namespace {

// Connections by handle: a Database& reaches its cache without the callers' types changing.
struct Registry {
  std::mutex lock;
  std::unordered_map<sqlite3*, StatementCache*> caches;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

StatementCache* cache_of(SQLite::Database& db) {
  auto& known = registry();
  std::lock_guard guard(known.lock);
  const auto found = known.caches.find(db.getHandle());
  return found == known.caches.end() ? nullptr : found->second;
}

}  // namespace

Connection::Connection(const std::string& path, int flags, int busy_timeout_ms)
    : SQLite::Database(path, flags, busy_timeout_ms), statements_(std::make_unique<StatementCache>(getHandle())) {
  auto& known = registry();
  std::lock_guard guard(known.lock);
  known.caches[getHandle()] = statements_.get();
}

Connection::Connection(Connection&& other) noexcept = default;

Connection::~Connection() {
  if (!statements_) return;
  {
    auto& known = registry();
    std::lock_guard guard(known.lock);
    known.caches.erase(statements_->handle());
  }
  statements_.reset();  // finalized before the base class closes the handle
}

Prepared::Prepared(SQLite::Database& db, std::string_view sql) {
  if (StatementCache* cache = cache_of(db)) {
    CachedStatement& entry = cache->entry(db, sql);
    if (!entry.in_use) {
      entry.in_use = true;
      in_use_ = &entry.in_use;
      statement_ = entry.statement.get();
      return;
    }
  }
  own_ = std::make_unique<SQLite::Statement>(db, std::string(sql));
  statement_ = own_.get();
}

Prepared::~Prepared() {
  if (!in_use_) return;
  // A finished or abandoned statement must not keep its read snapshot or its bound values.
  statement_->tryReset();  // its error repeats the last step's, already reported to whoever stepped it
  statement_->clearBindings();
  *in_use_ = false;
}

void execute(SQLite::Database& db, std::string_view sql) { Prepared(db, sql).exec(); }

}  // namespace incident_bot::store
