// ports::CodeStore in memory, for the app tests; tests/integration/store/CodeStoreContractTest.cpp
// holds it to the SQLite adapter's behaviour.
#pragma once

#include <map>

#include "ports/CodeStore.h"

namespace lockhub::fakes {

class InMemoryCodeStore final : public ports::CodeStore {
public:
    Result<ports::IssuedCode> addCode(ports::IssuedCode code) override;
    Result<std::vector<ports::IssuedCode>> codes(std::int64_t lockId) override;
    Result<void> setCodeState(std::int64_t id, const std::string& state, std::int64_t at) override;
    Result<void> removeLockCodes(std::int64_t lockId) override;
    Result<std::optional<domain::codes::OfflineCodeTable>> verifierTable(
        std::int64_t lockId) override;
    Result<void> setVerifierTable(std::int64_t lockId,
                                  const domain::codes::OfflineCodeTable& table) override;
    Result<domain::codes::LockoutState> lockout(std::int64_t lockId) override;
    Result<void> setLockout(std::int64_t lockId, const domain::codes::LockoutState& state) override;

    // Every later call fails with a Storage error while set.
    bool failing = false;

private:
    Result<void> check() const;

    std::map<std::int64_t, ports::IssuedCode> codes_;
    std::map<std::int64_t, domain::codes::OfflineCodeTable> tables_;
    std::map<std::int64_t, domain::codes::LockoutState> lockouts_;
    std::int64_t nextId_ = 1;
};

}  // namespace lockhub::fakes
