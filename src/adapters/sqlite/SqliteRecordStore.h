// ports::RecordStore on the store's SQLite connection (docs/records.md): keyset pages over the
// records in (hub_time_ms, id) order and retention in bounded deletes. Single-threaded, like the
// lock store whose rows it reads.
#pragma once

#include "adapters/sqlite/Database.h"
#include "ports/RecordStore.h"

namespace lockhub::adapters::sqlite {

class SqliteRecordStore final : public ports::RecordStore {
public:
    // `db` is SqliteStore::database(), already migrated; it must outlive this object.
    explicit SqliteRecordStore(Database& db) : db_(db) {}

    Result<std::vector<ports::StoredRecord>> queryRecords(
        const ports::RecordFilter& filter, const std::optional<ports::RecordPosition>& after,
        std::size_t limit) override;
    Result<std::optional<std::int64_t>> lastLockTime(std::int64_t lockId) override;
    Result<ports::LostRecords> lostRecords(std::int64_t lockId) override;
    Result<std::vector<ports::LockRecordCount>> recordCounts() override;
    Result<std::size_t> trimOldest(std::int64_t lockId, std::size_t limit) override;
    Result<std::size_t> trimBefore(std::int64_t hubTimeMs, std::size_t limit) override;

private:
    Result<std::size_t> trim(std::string_view sql, std::int64_t key, std::size_t limit);

    Database& db_;
};

}  // namespace lockhub::adapters::sqlite
