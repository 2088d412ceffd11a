// ports::UserStore in memory for app tests, with the SQLite adapter's semantics
// (tests/integration/store/UserStoreContractTest.cpp runs the same cases against both): user ids
// from 1 that only grow, Conflict for a name in use, NotFound for an unknown user or credential,
// credentials unique by (lock, method, hardware id) and sorted that way.
//
// Fault injection: failWrites(true) fails every call that writes, like a full disk; a failed call
// stores nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "ports/UserStore.h"

namespace lockhub::fakes {

class InMemoryUserStore final : public ports::UserStore {
public:
    void failWrites(bool on) { failWrites_ = on; }

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
    using Slot = std::tuple<std::int64_t, std::string, std::int64_t>;

    Result<void> writable() const;
    Result<void> nameFree(const std::string& name, std::int64_t exceptId) const;

    bool failWrites_ = false;
    std::map<std::int64_t, ports::User> users_;
    std::int64_t lastUserId_ = 0;
    std::map<Slot, ports::Credential> credentials_;
};

}  // namespace lockhub::fakes
