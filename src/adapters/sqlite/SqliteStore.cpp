#include "adapters/sqlite/SqliteStore.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "adapters/sqlite/Migration.h"
#include "adapters/sqlite/Schema.h"
#include "adapters/sqlite/StateFiles.h"
#include "adapters/sqlite/StorageError.h"
#include "adapters/sqlite/Transaction.h"
#include "domain/Hex.h"

namespace lockhub::adapters::sqlite {
namespace {

constexpr std::size_t kHubIdBytes = 8;

// Per-connection settings, plus WAL which is stored in the file. synchronous=FULL makes every
// commit durable across power loss, not just across crashes (reference §B2); bursts of events
// are group-committed, so it costs one sync per batch, not per event. The autocheckpoint bound
// keeps the WAL small. The page cache is bounded at 512 KiB instead of SQLite's 2 MiB: a burst
// writes the right edge of each B-tree, and a page it left is read back from the kernel's page
// cache cheaply, while every KiB of ours is resident (docs/performance.md).
Result<void> applySettings(Database& db) {
    auto mode = db.queryText("PRAGMA journal_mode = WAL");
    if (!mode) {
        return tl::unexpected(std::move(mode.error()));
    }
    if (*mode != "wal") {
        return tl::unexpected(
            storageError(db.path(), "switching to WAL failed: journal mode is '" + *mode + "'"));
    }
    // secure_delete: a removed lock's (encrypted) secrets are overwritten in the file rather
    // than left in free pages.
    return db.exec(
        "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA wal_autocheckpoint = 1000; "
        "PRAGMA secure_delete = ON; PRAGMA cache_size = -512",
        "applying the durability settings");
}

Result<void> quickCheck(Database& db) {
    auto verdict = db.queryText("PRAGMA quick_check");
    if (!verdict) {
        return tl::unexpected(std::move(verdict.error()));
    }
    if (*verdict != "ok") {
        // The first finding is enough to act on; SQLite puts line breaks inside it.
        std::replace(verdict->begin(), verdict->end(), '\n', ' ');
        return tl::unexpected(storageError(
            db.path(), "PRAGMA quick_check found damage (" + *verdict +
                           "); the file was left untouched: restore it from a backup or move it "
                           "aside"));
    }
    return {};
}

bool isHubId(std::string_view id) {
    return id.size() == 2 * kHubIdBytes &&
           id.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

Result<std::string> newHubId() {
    std::array<unsigned char, kHubIdBytes> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        return fail(Errc::Internal, "the random generator failed to produce a hub id");
    }
    return domain::toHex(bytes);
}

Result<std::string> storedHubId(Database& db) {
    auto stmt = db.prepare("SELECT value FROM meta WHERE key = 'hub_id'");
    if (!stmt) {
        return tl::unexpected(std::move(stmt.error()));
    }
    auto row = stmt->step();
    if (!row) {
        return tl::unexpected(std::move(row.error()));
    }
    return *row ? stmt->columnText(0) : std::string();
}

Result<std::string> ensureHubId(Database& db) {
    auto stored = storedHubId(db);
    if (!stored || !stored->empty()) {
        return stored;
    }
    auto id = newHubId();
    if (!id) {
        return id;
    }
    auto tx = Transaction::begin(db);
    if (!tx) {
        return tl::unexpected(std::move(tx.error()));
    }
    auto insert = db.prepare("INSERT INTO meta (key, value) VALUES ('hub_id', ?)");
    if (!insert) {
        return tl::unexpected(std::move(insert.error()));
    }
    if (auto bound = insert->bind(1, std::string_view(*id)); !bound) {
        return tl::unexpected(std::move(bound.error()));
    }
    if (auto ran = insert->run(); !ran) {
        return tl::unexpected(std::move(ran.error()));
    }
    if (auto committed = tx->commit(); !committed) {
        return tl::unexpected(std::move(committed.error()));
    }
    return id;
}

}  // namespace

Result<SqliteStore> SqliteStore::open(const std::filesystem::path& stateDir) {
    if (auto ready = prepareStateDirectory(stateDir); !ready) {
        return tl::unexpected(std::move(ready.error()));
    }
    const auto file = stateDir / kFileName;
    if (auto ready = prepareDatabaseFile(file); !ready) {
        return tl::unexpected(std::move(ready.error()));
    }
    auto db = Database::open(file, Database::OpenMode::ReadWrite);
    if (!db) {
        return tl::unexpected(std::move(db.error()));
    }
    // Set first: every later step may meet a lock held by another connection.
    if (auto set = db->exec("PRAGMA busy_timeout = " + std::to_string(kBusyTimeoutMs),
                            "setting the busy timeout");
        !set) {
        return tl::unexpected(std::move(set.error()));
    }
    // Before anything that writes (journal_mode does): a newer file must stay byte-identical,
    // and a file that is not a database at all fails here on its first read.
    if (auto version = checkSchemaVersion(*db, schemaMigrations()); !version) {
        return tl::unexpected(std::move(version.error()));
    }
    if (auto set = applySettings(*db); !set) {
        return tl::unexpected(std::move(set.error()));
    }
    if (auto checked = quickCheck(*db); !checked) {
        return tl::unexpected(std::move(checked.error()));
    }
    if (auto migrated = migrate(*db, schemaMigrations()); !migrated) {
        return tl::unexpected(std::move(migrated.error()));
    }
    auto hubId = ensureHubId(*db);
    if (!hubId) {
        return tl::unexpected(std::move(hubId.error()));
    }
    if (!isHubId(*hubId)) {
        return tl::unexpected(storageError(
            file, "meta.hub_id is not 16 lowercase hex characters; refusing to replace it"));
    }
    return SqliteStore(std::move(*db), std::move(*hubId));
}

Result<StoreCounts> SqliteStore::counts() {
    StoreCounts counts;
    const std::pair<std::int64_t*, std::string_view> queries[] = {
        {&counts.locks, "SELECT count(*) FROM locks WHERE removed_at IS NULL"},
        {&counts.records, "SELECT count(*) FROM records"},
        {&counts.outbox, "SELECT count(*) FROM outbox"},
    };
    for (const auto& [target, sql] : queries) {
        auto value = db_.queryInt(sql);
        if (!value) {
            return tl::unexpected(std::move(value.error()));
        }
        *target = *value;
    }
    return counts;
}

Result<void> SqliteStore::close() {
    if (db_.isOpen()) {
        // TRUNCATE also empties the -wal file, so the database file alone is the whole state.
        if (auto done = db_.exec("PRAGMA wal_checkpoint(TRUNCATE)", "checkpointing the WAL");
            !done) {
            return done;
        }
    }
    return db_.close();
}

}  // namespace lockhub::adapters::sqlite
