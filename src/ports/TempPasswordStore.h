// Port: the online temporary passwords the hub manages on its locks (design §5 `temp_passwords`,
// docs/codes.md "Online temporary passwords"). A row is the hub's view of one password and of
// what the lock must still be told (`sync`), so a queued operation survives a restart. The
// plaintext is kept only while the lock has not confirmed it (the SQLite adapter seals it with a
// key derived from the secrets key); after that only the keyed hash. The SQLite adapter
// implements it, tests/fakes/InMemoryTempPasswordStore is the app tests' fake, and
// tests/integration/store/TempPasswordStoreContractTest.cpp holds both to the same behaviour.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"
#include "domain/Secret.h"

namespace lockhub::ports {

struct TempPassword {
    std::int64_t id = 0;  // assigned by the store, never reused
    std::int64_t lockId = 0;
    std::string name;
    std::optional<std::int64_t> userId;
    std::int64_t start = 0;  // UTC Unix seconds
    std::int64_t end = 0;
    std::int64_t uses = 0;      // 0 = unlimited
    std::int64_t revision = 1;  // bumped on every change
    // The lock's id of the password (DP 51's reply), which its unlock records (DP 55) name.
    std::optional<std::int64_t> hardwareId;
    std::string state = "pending";  // pending, active, deleting, gone, expired, failed
    // What the lock must still be told: "create", "modify", "delete"; empty when nothing.
    std::string sync;
    // The plaintext, until the lock confirmed it.
    std::optional<SecretString> pin;
    std::vector<std::uint8_t> hash;    // keyed hash of the digits (ports::CodeHasher)
    std::optional<std::string> error;  // why the lock refused the last operation
    std::int64_t createdAt = 0;        // Unix s
    std::int64_t changedAt = 0;
};

class TempPasswordStore {
public:
    virtual ~TempPasswordStore() = default;

    // Returns the row with its id.
    virtual Result<TempPassword> addTempPassword(TempPassword row) = 0;
    // Replaces every field but id and lock; NotFound for an unknown id.
    virtual Result<void> updateTempPassword(const TempPassword& row) = 0;
    // The lock's rows, gone ones included, by id.
    virtual Result<std::vector<TempPassword>> tempPasswords(std::int64_t lockId) = 0;
    // Forgets a removed lock's rows.
    virtual Result<void> removeLockTempPasswords(std::int64_t lockId) = 0;
};

}  // namespace lockhub::ports
