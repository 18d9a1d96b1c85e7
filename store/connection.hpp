#pragma once
// A store connection: an SQLite database that keeps its prepared statements for reuse.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace incident_bot::store {

class StatementCache;

// What store::open returns. Keep it as a Connection (not a sliced SQLite::Database) to keep the cache.
class Connection : public SQLite::Database {
 public:
  Connection(const std::string& path, int flags, int busy_timeout_ms);
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  ~Connection();

 private:
  std::unique_ptr<StatementCache> statements_;
};

// A statement prepared once per Connection and reused: reset and unbound when this holder goes. On a
// plain SQLite::Database, or while the cached one is held further up the stack, it is prepared anew.
class Prepared {
 public:
  Prepared(SQLite::Database& db, std::string_view sql);
  Prepared(const Prepared&) = delete;
  Prepared& operator=(const Prepared&) = delete;
  ~Prepared();

  SQLite::Statement& operator*() { return *statement_; }
  SQLite::Statement* operator->() { return statement_; }
  operator SQLite::Statement&() { return *statement_; }  // for the row readers that take a statement

  template <typename... Args>
  void bind(Args&&... args) { statement_->bind(std::forward<Args>(args)...); }
  bool executeStep() { return statement_->executeStep(); }
  int exec() { return statement_->exec(); }
  SQLite::Column getColumn(int index) { return statement_->getColumn(index); }
  // Ready for the next row's binds, as SQLite::Statement::reset.
  void reset() { statement_->reset(); }

 private:
  SQLite::Statement* statement_ = nullptr;
  std::unique_ptr<SQLite::Statement> own_;
  bool* in_use_ = nullptr;
};

// Runs one statement without results through the cache (SAVEPOINT, RELEASE, ...).
void execute(SQLite::Database& db, std::string_view sql);

}  // namespace incident_bot::store
