// Port: the codes the hub issued (design §5 `offline_codes`), the hub's copy of each lock's
// offline-code table, and the wrong-code lockout (`lockout`). Only a keyed hash of a code is ever
// stored; the SQLite adapter implements it, tests/fakes/InMemoryCodeStore is the app tests' fake,
// and tests/integration/store/CodeStoreContractTest.cpp holds both to the same behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"
#include "domain/codes/OfflineCodeTable.h"
#include "domain/codes/WrongCodeLockout.h"

namespace lockhub::ports {

struct IssuedCode {
    std::int64_t id = 0;  // assigned by the store, never reused
    std::int64_t lockId = 0;
    std::string type;  // dynamic, timed, one_time, clear_one, clear_all
    std::string name;
    std::optional<std::int64_t> userId;
    std::int64_t start = 0;                 // Unix s: the window the lock enforces
    std::optional<std::int64_t> end;        // timed, clear-one, dynamic
    std::optional<std::int64_t> serial;     // one-time, clear-all
    std::vector<std::uint8_t> hash;         // keyed hash of the digits (ports::CodeHasher)
    std::string state = "issued";           // issued, activated, used, cleared
    std::int64_t issuedAt = 0;              // Unix s
    std::optional<std::int64_t> changedAt;  // when the state last changed
    // A clear-one code: the timed code it clears.
    std::optional<std::int64_t> clears;
    // Issued by the hub because the cloud issuer was down or silent (codes.issuer "cloud"):
    // code/list shows `issued_offline` instead of `issued`.
    bool issuedOffline = false;

    bool operator==(const IssuedCode&) const = default;
};

class CodeStore {
public:
    virtual ~CodeStore() = default;

    // Returns the code with its id.
    virtual Result<IssuedCode> addCode(IssuedCode code) = 0;
    // The lock's codes, by id.
    virtual Result<std::vector<IssuedCode>> codes(std::int64_t lockId) = 0;
    // NotFound for an unknown id.
    virtual Result<void> setCodeState(std::int64_t id, const std::string& state,
                                      std::int64_t at) = 0;
    // Forgets a removed lock's codes, table and lockout.
    virtual Result<void> removeLockCodes(std::int64_t lockId) = 0;

    // nullopt until the first code was checked for the lock.
    virtual Result<std::optional<domain::codes::OfflineCodeTable>> verifierTable(
        std::int64_t lockId) = 0;
    virtual Result<void> setVerifierTable(std::int64_t lockId,
                                          const domain::codes::OfflineCodeTable& table) = 0;

    // A lock nothing was counted for yet has the default (empty) state.
    virtual Result<domain::codes::LockoutState> lockout(std::int64_t lockId) = 0;
    virtual Result<void> setLockout(std::int64_t lockId,
                                    const domain::codes::LockoutState& state) = 0;
};

}  // namespace lockhub::ports
