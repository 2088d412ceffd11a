// ports::AuditStore in memory for app tests, with the SQLite adapter's semantics
// (tests/integration/store/AuditStoreContractTest.cpp runs the same cases against both): ids from
// 1 that only grow, a batch stored whole or not at all, rows ordered by (time, id).
//
// Fault injection: failWrites(true) fails every append, like a full disk; a failed append stores
// nothing and uses up no id.
#pragma once

#include <cstdint>
#include <vector>

#include "ports/AuditStore.h"

namespace lockhub::fakes {

class InMemoryAuditStore final : public ports::AuditStore {
public:
    void failWrites(bool on) { failWrites_ = on; }

    Result<void> append(const std::vector<ports::AuditEntry>& entries) override;
    Result<std::vector<ports::AuditEntry>> query(const ports::AuditFilter& filter) override;

    // Every stored row, in id order, for assertions.
    const std::vector<ports::AuditEntry>& rows() const { return rows_; }
    // How many append() calls stored something: one per transaction the adapter would run.
    int appends() const { return appends_; }

private:
    std::vector<ports::AuditEntry> rows_;
    std::int64_t nextId_ = 1;
    int appends_ = 0;
    bool failWrites_ = false;
};

}  // namespace lockhub::fakes
