// Port: the people behind the credentials (design §2 UserDirectory, §5 `users`, `credentials`).
// A credential is what a lock knows by a hardware id (fingerprint #3, card #1); the hub maps it to
// a user so an event can say who opened the door. The SQLite adapter implements it, the app tests
// use tests/fakes/InMemoryUserStore; tests/integration/store/UserStoreContractTest.cpp holds both
// to the same behaviour.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::ports {

struct User {
    // Assigned by the store and never reused, so an automation keyed on an id cannot start firing
    // for a different person after the first one was removed.
    std::int64_t id = 0;
    std::string name;      // unique
    bool arrived = false;  // the hub publishes `arrived` events for this user

    bool operator==(const User&) const = default;
};

// Unique by (lockId, method, hardwareId): one credential slot of one lock.
struct Credential {
    std::int64_t lockId = 0;
    std::string method;  // domain::unlockMethodName()
    std::int64_t hardwareId = 0;
    std::int64_t userId = 0;
    bool duress = false;  // an unlock with it also raises a duress event
    // A password enrolled through the hub: the CodeHasher's keyed hash of its PIN, so a remote
    // unlock that must carry a code (access.require_code_for_unlock) can take it. Empty for
    // every other credential, and for a password enrolled at the lock's own keypad.
    std::vector<std::uint8_t> pinHash;

    bool operator==(const Credential&) const = default;
};

class UserStore {
public:
    virtual ~UserStore() = default;

    // Conflict when the name is taken (by another user for updateUser); NotFound for an unknown
    // id. The name is stored as given: the app validates it.
    virtual Result<User> createUser(const std::string& name, bool arrived) = 0;
    virtual Result<void> updateUser(const User& user) = 0;
    // By id.
    virtual Result<std::vector<User>> users() = 0;
    // Removes the user and every credential assigned to them, in one transaction, and returns
    // those credentials. NotFound for an unknown id.
    virtual Result<std::vector<Credential>> removeUser(std::int64_t id) = 0;

    // Creates the credential or, when the lock already has one with that method and hardware id,
    // assigns it to `credential.userId` with its duress flag, and its PIN hash unless the given
    // one is empty (an assignment by hand does not forget what an enrolment stored). NotFound for
    // an unknown user. The lock id is the app's to check.
    virtual Result<void> assignCredential(const Credential& credential) = 0;
    // By lock, method, hardware id.
    virtual Result<std::vector<Credential>> credentials() = 0;
    // NotFound when the lock has no such credential.
    virtual Result<void> removeCredential(std::int64_t lockId, const std::string& method,
                                          std::int64_t hardwareId) = 0;
    // Forgets every credential of a lock that is being removed; none is not an error.
    virtual Result<void> removeLockCredentials(std::int64_t lockId) = 0;
};

}  // namespace lockhub::ports
