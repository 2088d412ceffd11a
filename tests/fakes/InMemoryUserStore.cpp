#include "tests/fakes/InMemoryUserStore.h"

namespace lockhub::fakes {

Result<void> InMemoryUserStore::writable() const {
    if (failWrites_) {
        return fail(Errc::Storage, "injected: the disk is full");
    }
    return {};
}

Result<void> InMemoryUserStore::nameFree(const std::string& name, std::int64_t exceptId) const {
    for (const auto& [id, user] : users_) {
        if (id != exceptId && user.name == name) {
            return fail(Errc::Conflict,
                        "the name \"" + name + "\" is already used by user " + std::to_string(id));
        }
    }
    return {};
}

Result<ports::User> InMemoryUserStore::createUser(const std::string& name, bool arrived) {
    if (auto ok = writable(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (auto free = nameFree(name, 0); !free) {
        return tl::unexpected(free.error());
    }
    ports::User user{++lastUserId_, name, arrived};
    users_[user.id] = user;
    return user;
}

Result<void> InMemoryUserStore::updateUser(const ports::User& user) {
    if (auto ok = writable(); !ok) {
        return ok;
    }
    if (auto free = nameFree(user.name, user.id); !free) {
        return free;
    }
    auto found = users_.find(user.id);
    if (found == users_.end()) {
        return fail(Errc::NotFound, "no user has id " + std::to_string(user.id));
    }
    found->second = user;
    return {};
}

Result<std::vector<ports::User>> InMemoryUserStore::users() {
    std::vector<ports::User> all;
    for (const auto& [id, user] : users_) {
        all.push_back(user);
    }
    return all;
}

Result<std::vector<ports::Credential>> InMemoryUserStore::removeUser(std::int64_t id) {
    if (auto ok = writable(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (users_.erase(id) == 0) {
        return fail(Errc::NotFound, "no user has id " + std::to_string(id));
    }
    std::vector<ports::Credential> removed;
    std::erase_if(credentials_, [&](const auto& entry) {
        if (entry.second.userId != id) {
            return false;
        }
        removed.push_back(entry.second);
        return true;
    });
    return removed;
}

Result<void> InMemoryUserStore::assignCredential(const ports::Credential& credential) {
    if (auto ok = writable(); !ok) {
        return ok;
    }
    if (!users_.contains(credential.userId)) {
        return fail(Errc::NotFound, "no user has id " + std::to_string(credential.userId));
    }
    auto& slot = credentials_[{credential.lockId, credential.method, credential.hardwareId}];
    auto pinHash = credential.pinHash.empty() ? slot.pinHash : credential.pinHash;
    slot = credential;
    slot.pinHash = std::move(pinHash);
    return {};
}

Result<std::vector<ports::Credential>> InMemoryUserStore::credentials() {
    std::vector<ports::Credential> all;
    for (const auto& [slot, credential] : credentials_) {
        all.push_back(credential);
    }
    return all;
}

Result<void> InMemoryUserStore::removeCredential(std::int64_t lockId, const std::string& method,
                                                 std::int64_t hardwareId) {
    if (auto ok = writable(); !ok) {
        return ok;
    }
    if (credentials_.erase({lockId, method, hardwareId}) == 0) {
        return fail(Errc::NotFound, "lock " + std::to_string(lockId) + " has no " + method +
                                        " credential " + std::to_string(hardwareId));
    }
    return {};
}

Result<void> InMemoryUserStore::removeLockCredentials(std::int64_t lockId) {
    if (auto ok = writable(); !ok) {
        return ok;
    }
    std::erase_if(credentials_,
                  [lockId](const auto& entry) { return std::get<0>(entry.first) == lockId; });
    return {};
}

}  // namespace lockhub::fakes
