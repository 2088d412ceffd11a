// ports::TempPasswordStore in memory, for the app tests;
// tests/integration/store/TempPasswordStoreContractTest.cpp holds it to the SQLite adapter's
// behaviour.
#pragma once

#include <map>

#include "ports/TempPasswordStore.h"

namespace lockhub::fakes {

class InMemoryTempPasswordStore final : public ports::TempPasswordStore {
public:
    Result<ports::TempPassword> addTempPassword(ports::TempPassword row) override;
    Result<void> updateTempPassword(const ports::TempPassword& row) override;
    Result<std::vector<ports::TempPassword>> tempPasswords(std::int64_t lockId) override;
    Result<void> removeLockTempPasswords(std::int64_t lockId) override;

    // Every later call fails with a Storage error while set.
    bool failing = false;

private:
    Result<void> check() const;

    std::map<std::int64_t, ports::TempPassword> rows_;
    std::int64_t nextId_ = 1;
};

}  // namespace lockhub::fakes
