// The `outbox` table (design §5): MQTT messages kept until their PUBACK, bounded so a broker
// that stays away cannot fill the disk. Overflow drops the oldest messages, never a record, and
// is counted in meta.outbox_dropped and logged: never silent. The cloud link's `cloud_outbox`
// has the same shape and rules, counted in meta.cloud_outbox_dropped.
//
// insert() writes inside the caller's transaction, so a record and its message commit together;
// remove() is a transaction of its own. Rows passed to removeLater() are deleted by the next
// trimAndCommit() or remove(): with one lock a record's outbox row is acknowledged while the next
// record is on its way, and its delete rides on that record's commit instead of paying a sync.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/Transaction.h"
#include "domain/Error.h"
#include "ports/LockStore.h"

namespace lockhub::adapters::sqlite {

// Which table, and the meta key counting what its bound dropped.
struct OutboxNames {
    std::string table = "outbox";
    std::string droppedKey = "outbox_dropped";
};

class OutboxTable {
public:
    // `limit` is the most rows kept; 0 counts as 1 (every message needs a row until its PUBACK).
    OutboxTable(Database& db, std::size_t limit, OutboxNames names = {});

    // In the caller's transaction: the new row's id. `createdAtS` absent: SQLite's clock. Ids only
    // grow (AUTOINCREMENT), so a reader paging with pending(afterId) never misses a new row that
    // took a delivered row's id.
    Result<std::int64_t> insert(const ports::OutboxMessage& message,
                                std::optional<std::int64_t> createdAtS);
    // Ends a transaction that inserted rows: drops the oldest rows over the bound and counts
    // them, commits, then logs what was dropped. Trimming once per transaction leaves the same
    // rows and count as trimming after every insert, with one warning for the whole batch.
    Result<void> trimAndCommit(Transaction& tx);

    Result<std::vector<ports::OutboxEntry>> pending(std::size_t limit, std::int64_t afterId);
    // One transaction for the whole batch and the rows waiting from removeLater(); ids already
    // gone are not an error (the bound may have dropped a row while its message was in flight).
    Result<void> remove(std::span<const std::int64_t> ids);
    // Kept in memory until a transaction of this table commits.
    void removeLater(std::span<const std::int64_t> ids);
    Result<std::int64_t> dropped();

private:
    struct Dropped {
        std::int64_t rows = 0;
        std::int64_t total = 0;  // since the database was created
    };
    Result<Dropped> trim();
    // In the caller's transaction; the list is cleared only once that transaction commits.
    Result<void> deleteRows(std::span<const std::int64_t> ids);

    Database& db_;
    std::int64_t limit_;
    OutboxNames names_;
    std::vector<std::int64_t> removable_;  // delivered, deleted with the next commit
    // The statements, written once for the table's name.
    std::string insertSql_;
    std::string countSql_;
    std::string dropSql_;
    std::string countDroppedSql_;
    std::string pendingSql_;
    std::string removeSql_;
    std::string droppedSql_;
};

}  // namespace lockhub::adapters::sqlite
