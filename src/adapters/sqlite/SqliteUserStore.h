// ports::UserStore on the store's SQLite connection (docs/storage.md "User store"). Every change
// is one transaction. Single-threaded: the event loop owns the store (design §2).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "adapters/sqlite/Database.h"
#include "ports/UserStore.h"

namespace lockhub::adapters::sqlite {

class SqliteUserStore final : public ports::UserStore {
public:
    // `db` is SqliteStore::database(), already migrated; it must outlive this object.
    explicit SqliteUserStore(Database& db) : db_(db) {}

    Result<ports::User> createUser(const std::string& name, bool arrived) override;
    Result<void> updateUser(const ports::User& user) override;
    Result<std::vector<ports::User>> users() override;
    Result<std::vector<ports::Credential>> removeUser(std::int64_t id) override;

    Result<void> assignCredential(const ports::Credential& credential) override;
    Result<std::vector<ports::Credential>> credentials() override;
    Result<void> removeCredential(std::int64_t lockId, const std::string& method,
                                  std::int64_t hardwareId) override;
    Result<void> removeLockCredentials(std::int64_t lockId) override;

private:
    Database& db_;
};

}  // namespace lockhub::adapters::sqlite
