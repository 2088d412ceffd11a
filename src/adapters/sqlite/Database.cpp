#include "adapters/sqlite/Database.h"

#include <sqlite3.h>

#include <utility>

#include "adapters/sqlite/StorageError.h"

namespace lockhub::adapters::sqlite {

Result<Database> Database::open(const std::filesystem::path& file, OpenMode mode) {
    int flags = SQLITE_OPEN_READWRITE;
    if (mode == OpenMode::ReadWriteCreate) {
        flags |= SQLITE_OPEN_CREATE;
    }
    sqlite3* handle = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &handle, flags, nullptr);
    // From here on the handle is owned, even when opening failed (SQLite still allocates it).
    Database db(handle, file);
    if (rc != SQLITE_OK) {
        return tl::unexpected(storageError(handle, file, "opening the database", rc));
    }
    sqlite3_extended_result_codes(handle, 1);
    if (sqlite3_db_readonly(handle, "main") == 1) {
        return tl::unexpected(storageError(
            file,
            "opening the database failed: the file is read-only; the daemon needs write "
            "access to the database file and its directory"));
    }
    return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)),
      path_(std::move(other.path_)),
      cache_(std::move(other.cache_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        cache_.clear();
        sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        path_ = std::move(other.path_);
        cache_ = std::move(other.cache_);
    }
    return *this;
}

// close_v2 rather than close: a statement that outlived its connection by mistake must not turn
// the destructor into a leak or a crash.
Database::~Database() {
    cache_.clear();
    sqlite3_close_v2(db_);
}

Error Database::failure(std::string_view operation, int rc) const {
    return storageError(db_, path_, operation, rc);
}

Result<void> Database::exec(std::string_view sql, std::string_view operation) {
    if (db_ == nullptr) {
        return tl::unexpected(failure(operation, SQLITE_MISUSE));
    }
    const std::string text(sql);
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        return tl::unexpected(failure(operation, rc));
    }
    return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    const int rc =
        db_ == nullptr
            ? SQLITE_MISUSE
            : sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
        return tl::unexpected(failure("preparing `" + std::string(sql) + "`", rc));
    }
    return Statement(db_, stmt, path_);
}

Result<Statement*> Database::cached(std::string_view sql) {
    if (auto found = cache_.find(std::string(sql)); found != cache_.end()) {
        // reset() repeats the error of the statement's last run, if it failed; that error was
        // returned to whoever ran it, and the statement is usable again either way.
        (void)found->second.reset();
        return &found->second;
    }
    auto stmt = prepare(sql);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    return &cache_.emplace(std::string(sql), std::move(*stmt)).first->second;
}

namespace {

template <typename T, typename Read>
Result<T> querySingle(Database& db, std::string_view sql, Read read) {
    auto stmt = db.prepare(sql);
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    if (!*row) {
        return tl::unexpected(
            storageError(db.path(), "`" + std::string(sql) + "` returned no row"));
    }
    return read(*stmt);
}

}  // namespace

Result<std::int64_t> Database::queryInt(std::string_view sql) {
    return querySingle<std::int64_t>(*this, sql, [](const Statement& s) { return s.columnInt(0); });
}

Result<std::string> Database::queryText(std::string_view sql) {
    return querySingle<std::string>(*this, sql, [](const Statement& s) { return s.columnText(0); });
}

Result<void> Database::close() {
    if (db_ == nullptr) {
        return {};
    }
    cache_.clear();
    const int rc = sqlite3_close(db_);
    if (rc != SQLITE_OK) {
        // Still open (a statement is alive); leave it to the destructor rather than leak it.
        return tl::unexpected(failure("closing the database", rc));
    }
    db_ = nullptr;
    return {};
}

}  // namespace lockhub::adapters::sqlite
