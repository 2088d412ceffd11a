// ports::CodeStore on the store's SQLite connection (docs/storage.md "Code store"): issued codes as
// keyed hashes, the hub's copy of each lock's offline-code table, and the wrong-code lockout.
// Every change is one statement or one transaction. Single-threaded, like the other stores.
#pragma once

#include "adapters/sqlite/Database.h"
#include "ports/CodeStore.h"

namespace lockhub::adapters::sqlite {

class SqliteCodeStore final : public ports::CodeStore {
public:
    explicit SqliteCodeStore(Database& db) : db_(db) {}

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

private:
    Database& db_;
};

}  // namespace lockhub::adapters::sqlite
