#include "tests/fakes/InMemoryTempPasswordStore.h"

namespace lockhub::fakes {

Result<void> InMemoryTempPasswordStore::check() const {
    if (failing) {
        return fail(Errc::Storage, "the in-memory temporary-password store is failing");
    }
    return {};
}

Result<ports::TempPassword> InMemoryTempPasswordStore::addTempPassword(ports::TempPassword row) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    row.id = nextId_++;
    rows_[row.id] = row;
    return row;
}

Result<void> InMemoryTempPasswordStore::updateTempPassword(const ports::TempPassword& row) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    auto found = rows_.find(row.id);
    if (found == rows_.end()) {
        return fail(Errc::NotFound, "no temporary password has id " + std::to_string(row.id));
    }
    const auto lockId = found->second.lockId;
    found->second = row;
    found->second.lockId = lockId;
    return {};
}

Result<std::vector<ports::TempPassword>> InMemoryTempPasswordStore::tempPasswords(
    std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<ports::TempPassword> out;
    for (const auto& [id, row] : rows_) {
        if (row.lockId == lockId) {
            out.push_back(row);
        }
    }
    return out;
}

Result<void> InMemoryTempPasswordStore::removeLockTempPasswords(std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    std::erase_if(rows_, [lockId](const auto& entry) { return entry.second.lockId == lockId; });
    return {};
}

}  // namespace lockhub::fakes
