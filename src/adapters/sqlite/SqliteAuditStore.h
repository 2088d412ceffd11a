// ports::AuditStore on the store's SQLite connection (docs/storage.md "Audit"). Single-threaded:
// the event loop owns the store (design §2).
#pragma once

#include <vector>

#include "adapters/sqlite/Database.h"
#include "ports/AuditStore.h"

namespace lockhub::adapters::sqlite {

class SqliteAuditStore final : public ports::AuditStore {
public:
    // `db` is SqliteStore::database(), already migrated; it must outlive this object.
    explicit SqliteAuditStore(Database& db) : db_(db) {}

    Result<void> append(const std::vector<ports::AuditEntry>& entries) override;
    Result<std::vector<ports::AuditEntry>> query(const ports::AuditFilter& filter) override;

private:
    Database& db_;
};

}  // namespace lockhub::adapters::sqlite
