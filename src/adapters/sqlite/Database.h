// One SQLite connection, owned. Every SQLite return code leaves this layer as a lockhub::Error
// (Errc::Storage) whose message names the database file and the operation that failed, so the
// daemon can exit with a line an operator can act on. Nothing here throws.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

#include "adapters/sqlite/Statement.h"
#include "domain/Error.h"

struct sqlite3;

namespace lockhub::adapters::sqlite {

class Database {
public:
    enum class OpenMode {
        // The file must already exist: the store creates it itself (0600) so SQLite never picks
        // the mode, and a missing file is never silently replaced by an empty database.
        ReadWrite,
        ReadWriteCreate,
    };

    // Opening is lazy in SQLite: a file of random bytes opens fine and fails on the first read.
    // What open() does check is that the connection really is writable, because SQLite quietly
    // falls back to read-only when the file cannot be opened for writing.
    static Result<Database> open(const std::filesystem::path& file, OpenMode mode);

    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    // Runs one or more SQL statements that return no rows the caller needs.
    Result<void> exec(std::string_view sql, std::string_view operation);
    // The statement borrows this connection and must not outlive it.
    Result<Statement> prepare(std::string_view sql);
    // For statements run many times (one per event of a group commit): prepared on first use and
    // kept by the connection until close(), so SQLite parses the SQL once, not once per call. It
    // comes back reset, its old bindings still set. The pointer is valid until close(); a caller
    // runs it to completion before the next cached() for the same SQL, which resets it.
    Result<Statement*> cached(std::string_view sql);
    // Runs a statement that yields exactly one row with one integer or text column.
    Result<std::int64_t> queryInt(std::string_view sql);
    Result<std::string> queryText(std::string_view sql);

    // Finalizes the cached statements and the connection; later calls fail with a Storage error
    // instead of crashing.
    Result<void> close();

    bool isOpen() const { return db_ != nullptr; }
    const std::filesystem::path& path() const { return path_; }

    // Builds the error for a failed SQLite call on this connection: "<file>: <operation>: ...".
    Error failure(std::string_view operation, int rc) const;

private:
    Database(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}

    sqlite3* db_ = nullptr;
    std::filesystem::path path_;
    // Node-based, so a handed-out pointer survives later insertions (and a move of the map).
    std::unordered_map<std::string, Statement> cache_;
};

}  // namespace lockhub::adapters::sqlite
