// The daemon's persistent state: one SQLite database, `lockhub.db`, in the state directory.
//
// open() does everything that must hold before the daemon reports READY=1: the directory (0700)
// and the file (0600) exist, the file is a SQLite database this build understands, the
// durability settings are in effect (WAL, synchronous=FULL, foreign keys, busy timeout),
// `PRAGMA quick_check` passes and the schema is migrated to the latest version. Any failure is
// an Errc::Storage error naming the file and what went wrong; the daemon exits 1 with it. An
// existing database is never deleted or recreated, whatever state it is in.
//
// Single-threaded: the event loop owns the store (design §2).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "adapters/sqlite/Database.h"
#include "domain/Error.h"

namespace lockhub::adapters::sqlite {

// Row counts for the bridge/info message; `locks` counts paired locks, not removed ones.
struct StoreCounts {
    std::int64_t locks = 0;
    std::int64_t records = 0;
    std::int64_t outbox = 0;
};

class SqliteStore {
public:
    static constexpr const char* kFileName = "lockhub.db";
    static constexpr int kBusyTimeoutMs = 5000;

    static Result<SqliteStore> open(const std::filesystem::path& stateDir);

    // This hub's identity: 16 lowercase hex characters, drawn once from a CSPRNG when the
    // database is created and kept in `meta` for the life of the database.
    const std::string& hubId() const { return hubId_; }

    Result<StoreCounts> counts();

    // Checkpoints the WAL into the database file (so a copy of lockhub.db alone is a complete
    // backup) and closes the connection. After close() every operation fails with a Storage error.
    Result<void> close();

    // For the repositories built on top of the store; the connection stays owned by the store.
    Database& database() { return db_; }

private:
    SqliteStore(Database db, std::string hubId) : db_(std::move(db)), hubId_(std::move(hubId)) {}

    Database db_;
    std::string hubId_;
};

}  // namespace lockhub::adapters::sqlite
