// Users and the credentials they hold (design §2 UserDirectory, docs/mqtt-api.md "Users and
// credentials"): user/set, user/remove, user/list, credential/assign, credential/list and
// credential/remove on the bridge API. The store is the truth; the directory keeps a copy in
// memory so the EventPipeline can name a credential's owner for every event without a query.
// Removing a credential (or a user, with all theirs) first deletes it at its lock through the
// CredentialEraser and forgets only what the lock confirmed, unless the request says `at_lock`:
// false. Enrolment at the lock is the EnrolmentService's; it assigns what the lock enrolled here.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "app/BridgeService.h"
#include "app/CredentialEraser.h"
#include "app/CredentialLookup.h"
#include "app/LockRegistry.h"
#include "ports/UserStore.h"

namespace lockhub {

class UserDirectory final : public CredentialLookup {
public:
    UserDirectory(ports::UserStore& store, LockRegistry& registry, BridgeService& bridge,
                  CredentialEraser& eraser);
    UserDirectory(const UserDirectory&) = delete;
    UserDirectory& operator=(const UserDirectory&) = delete;

    // Reads the users and credentials from the store; call once before serving.
    Result<void> load();

    std::optional<CredentialOwner> ownerOf(std::int64_t lockId, domain::UnlockMethod method,
                                           std::uint32_t hardwareId) const override;

    // Runs after every change of a user or a credential assignment (Home Assistant's per-user
    // triggers follow them).
    void onChange(std::function<void()> listener) {
        changeListeners_.push_back(std::move(listener));
    }
    // The users holding a credential on the lock, by id.
    std::vector<ports::User> holdersOf(std::int64_t lockId) const;
    std::optional<ports::User> user(std::int64_t id) const;
    // Assigns a credential the lock has just enrolled; the answer is credential/assign's.
    Result<nlohmann::json> assignEnrolled(ports::Credential credential);

private:
    using Slot = std::tuple<std::int64_t, std::string, std::int64_t>;  // lock, method, hardware id

    Result<nlohmann::json> setUser(const nlohmann::json& body);
    void removeUser(const nlohmann::json& body, BridgeService::Responder respond);
    Result<nlohmann::json> listUsers(const nlohmann::json& body);
    Result<nlohmann::json> assign(const nlohmann::json& body);
    Result<nlohmann::json> listCredentials(const nlohmann::json& body);
    void removeCredential(const nlohmann::json& body, BridgeService::Responder respond);
    Result<nlohmann::json> store(ports::Credential credential);
    Result<nlohmann::json> forget(const ports::Credential& credential);
    // The user's removal once every lock answered: all deleted, or only the credentials the locks
    // confirmed forgotten and the user kept.
    Result<nlohmann::json> finishUserRemoval(const ports::User& user,
                                             const std::vector<ports::Credential>& held,
                                             const std::vector<std::string>& topics,
                                             const std::vector<Result<void>>& erased, bool atLock);
    void lockRemoving(const PairedLock& lock);
    void changed() const;

    const ports::User* userById(std::int64_t id) const;
    const ports::User* userByName(const std::string& name) const;
    // The user a request's `user` names: an id (integer) or a name (string).
    Result<const ports::User*> findUser(const nlohmann::json& reference) const;
    nlohmann::json describe(const ports::Credential& credential) const;

    ports::UserStore& store_;
    LockRegistry& registry_;
    CredentialEraser& eraser_;
    std::map<std::int64_t, ports::User> users_;      // by id
    std::map<Slot, ports::Credential> credentials_;  // sorted as credential/list shows them
    std::vector<std::function<void()>> changeListeners_;
};

}  // namespace lockhub
