// ports::TempPasswordStore on the store's SQLite connection (docs/storage.md "Temporary
// passwords"): one row per password in `temp_passwords`. The plaintext, while the lock has not
// confirmed it, is an AES-256-GCM blob (SecretBox under a key derived from the secrets key) bound
// to the row id; a row without it has the column NULL. Single-threaded, like the other stores.
#pragma once

#include "adapters/sqlite/Database.h"
#include "adapters/sqlite/SecretBox.h"
#include "ports/TempPasswordStore.h"

namespace lockhub::adapters::sqlite {

// SecretBox::derive purpose of the key that seals pending plaintexts.
inline constexpr const char* kTempPasswordSealPurpose = "lockhub temporary-password seal v1";

class SqliteTempPasswordStore final : public ports::TempPasswordStore {
public:
    SqliteTempPasswordStore(Database& db, SecretBox box) : db_(db), box_(std::move(box)) {}

    Result<ports::TempPassword> addTempPassword(ports::TempPassword row) override;
    Result<void> updateTempPassword(const ports::TempPassword& row) override;
    Result<std::vector<ports::TempPassword>> tempPasswords(std::int64_t lockId) override;
    Result<void> removeLockTempPasswords(std::int64_t lockId) override;

private:
    // The row's fields but id and lock; the pin sealed for the row.
    Result<void> write(const ports::TempPassword& row);

    Database& db_;
    SecretBox box_;
};

}  // namespace lockhub::adapters::sqlite
