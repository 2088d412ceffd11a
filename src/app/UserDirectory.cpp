#include "app/UserDirectory.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "app/JsonReader.h"
#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kUsersTag = "users";
constexpr std::size_t kMaxNameBytes = 64;
constexpr std::int64_t kMaxCredentialHardwareId =
    4294967295;  // what an event's credential can carry

// A request's reader, with the envelope's "transaction" known.
JsonReader requestReader(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    return reader;
}

// "user" as an id (a positive integer) or a name; absent leaves `out` null. The reader has no
// accessor for "either type", so this checks the value itself, in the reader's wording.
Result<void> readUserReference(JsonReader& reader, const nlohmann::json& body,
                               nlohmann::json& out) {
    reader.skip("user");
    if (!reader.ok() || !body.contains("user")) {
        return reader.verdict();
    }
    const auto& value = body["user"];
    const bool id = value.is_number_integer() && value.get<std::int64_t>() >= 1 &&
                    !(value.is_number_unsigned() && value.get<std::uint64_t>() > INT64_MAX);
    const bool name = value.is_string() && !value.get_ref<const std::string&>().empty();
    if (!id && !name) {
        return fail(
            Errc::BadRequest,
            "/user: expected a user id (an integer from 1) or a user name (a non-empty "
            "string), got " +
                (value.is_number_integer() ? value.dump() : std::string(jsonTypeName(value))));
    }
    out = value;
    return {};
}

Result<void> checkName(const std::string& name) {
    if (name.size() > kMaxNameBytes) {
        return fail(Errc::BadRequest, "/name: expected at most " + std::to_string(kMaxNameBytes) +
                                          " bytes, got " + std::to_string(name.size()));
    }
    return {};
}

Result<domain::UnlockMethod> readMethod(const std::string& name) {
    if (auto method = domain::parseUnlockMethod(name)) {
        return *method;
    }
    std::string known;
    for (int m = 0; m <= static_cast<int>(domain::UnlockMethod::Inside); ++m) {
        known += (known.empty() ? "" : ", ") +
                 std::string(domain::unlockMethodName(static_cast<domain::UnlockMethod>(m)));
    }
    return fail(Errc::BadRequest,
                "/method: \"" + name + "\" is not an unlock method (" + known + ")");
}

nlohmann::json describeUser(const ports::User& user) {
    return {{"id", user.id}, {"name", user.name}, {"arrived", user.arrived}};
}

// The slot a credential/assign or credential/remove names: lock, method and hardware id.
struct SlotRequest {
    std::string lock;
    std::string method;
    std::int64_t hardwareId = 0;
};

void readSlot(JsonReader& reader, SlotRequest& slot) {
    for (const char* key : {"lock", "method", "credential"}) {
        reader.required(key);
    }
    reader.nonEmptyString("lock", slot.lock);
    reader.nonEmptyString("method", slot.method);
    reader.integer("credential", 0, kMaxCredentialHardwareId, slot.hardwareId);
}

}  // namespace

UserDirectory::UserDirectory(ports::UserStore& store, LockRegistry& registry, BridgeService& bridge,
                             CredentialEraser& eraser)
    : store_(store), registry_(registry), eraser_(eraser) {
    registry_.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { lockRemoving(lock); },
        .report = nullptr,
        .ready = nullptr,
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
    const std::pair<const char*, Result<nlohmann::json> (UserDirectory::*)(const nlohmann::json&)>
        operations[] = {
            {"user/set", &UserDirectory::setUser},
            {"user/list", &UserDirectory::listUsers},
            {"credential/assign", &UserDirectory::assign},
            {"credential/list", &UserDirectory::listCredentials},
        };
    for (const auto& [name, operation] : operations) {
        // An init-capture: clang 14 (the fuzz and sanitizer builds) cannot capture a binding.
        bridge.addOperation(name, [this, method = operation](const nlohmann::json& body) {
            return (this->*method)(body);
        });
    }
    // These talk to the locks first.
    bridge.addAsyncOperation("user/remove", [this](const auto& body, auto respond) {
        removeUser(body, std::move(respond));
    });
    bridge.addAsyncOperation("credential/remove", [this](const auto& body, auto respond) {
        removeCredential(body, std::move(respond));
    });
}

Result<void> UserDirectory::load() {
    auto users = store_.users();
    if (!users) {
        return tl::unexpected(users.error());
    }
    auto credentials = store_.credentials();
    if (!credentials) {
        return tl::unexpected(credentials.error());
    }
    users_.clear();
    credentials_.clear();
    for (auto& user : *users) {
        users_.emplace(user.id, std::move(user));
    }
    for (auto& credential : *credentials) {
        Slot slot{credential.lockId, credential.method, credential.hardwareId};
        credentials_.emplace(std::move(slot), std::move(credential));
    }
    return {};
}

std::optional<CredentialOwner> UserDirectory::ownerOf(std::int64_t lockId,
                                                      domain::UnlockMethod method,
                                                      std::uint32_t hardwareId) const {
    auto found = credentials_.find(
        {lockId, std::string(domain::unlockMethodName(method)), std::int64_t{hardwareId}});
    if (found == credentials_.end()) {
        return std::nullopt;
    }
    const ports::User* user = userById(found->second.userId);
    if (user == nullptr) {
        return std::nullopt;  // cannot happen: removing a user removes their credentials
    }
    return CredentialOwner{{user->id, user->name}, found->second.duress, user->arrived};
}

std::optional<ports::User> UserDirectory::user(std::int64_t id) const {
    const ports::User* found = userById(id);
    return found == nullptr ? std::nullopt : std::optional(*found);
}

Result<nlohmann::json> UserDirectory::assignEnrolled(ports::Credential credential) {
    if (userById(credential.userId) == nullptr) {
        return fail(Errc::NotFound, "no user has id " + std::to_string(credential.userId));
    }
    return store(std::move(credential));
}

const ports::User* UserDirectory::userById(std::int64_t id) const {
    auto found = users_.find(id);
    return found == users_.end() ? nullptr : &found->second;
}

const ports::User* UserDirectory::userByName(const std::string& name) const {
    for (const auto& [id, user] : users_) {
        if (user.name == name) {
            return &user;
        }
    }
    return nullptr;
}

Result<const ports::User*> UserDirectory::findUser(const nlohmann::json& reference) const {
    if (reference.is_string()) {
        const auto& name = reference.get_ref<const std::string&>();
        if (const ports::User* user = userByName(name)) {
            return user;
        }
        return fail(Errc::NotFound, "no user is called \"" + name + "\"");
    }
    const auto id = reference.get<std::int64_t>();
    if (const ports::User* user = userById(id)) {
        return user;
    }
    return fail(Errc::NotFound, "no user has id " + std::to_string(id));
}

nlohmann::json UserDirectory::describe(const ports::Credential& credential) const {
    const ports::User& user = users_.at(credential.userId);
    return {{"lock", registry_.byId(credential.lockId)->record.topic},
            {"method", credential.method},
            {"credential", credential.hardwareId},
            {"user", {{"id", user.id}, {"name", user.name}}},
            {"duress", credential.duress}};
}

Result<nlohmann::json> UserDirectory::setUser(const nlohmann::json& body) {
    JsonReader reader = requestReader(body);
    std::int64_t id = 0;
    std::string name;
    bool arrived = false;
    reader.integer("user", 1, INT64_MAX, id);
    reader.required("name");
    reader.nonEmptyString("name", name);
    reader.boolean("arrived", arrived);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    if (auto ok = checkName(name); !ok) {
        return tl::unexpected(ok.error());
    }
    if (id == 0) {
        auto created = store_.createUser(name, arrived);
        if (!created) {
            return tl::unexpected(created.error());
        }
        log::info(kUsersTag, "user added", {{"USER_ID", std::to_string(created->id)}});
        auto description = describeUser(users_[created->id] = *created);
        changed();
        return description;
    }
    const ports::User* existing = userById(id);
    if (existing == nullptr) {
        return fail(Errc::NotFound, "no user has id " + std::to_string(id));
    }
    // An absent "arrived" keeps the user's setting: renaming must not switch it off.
    ports::User updated{id, name, body.contains("arrived") ? arrived : existing->arrived};
    if (auto stored = store_.updateUser(updated); !stored) {
        return tl::unexpected(stored.error());
    }
    auto description = describeUser(users_[id] = std::move(updated));
    changed();
    return description;
}

void UserDirectory::removeUser(const nlohmann::json& body, BridgeService::Responder respond) {
    JsonReader reader = requestReader(body);
    reader.required("user");
    nlohmann::json reference;
    bool atLock = true;
    if (auto ok = readUserReference(reader, body, reference); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    reader.boolean("at_lock", atLock);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    auto found = findUser(reference);
    if (!found) {
        return respond(tl::unexpected(found.error()));
    }
    const ports::User user = **found;
    std::vector<ports::Credential> held;
    std::vector<std::string> topics;  // as the request found them: a lock may go meanwhile
    for (const auto& [slot, credential] : credentials_) {
        const PairedLock* lock = registry_.byId(credential.lockId);
        if (credential.userId == user.id && lock != nullptr) {
            held.push_back(credential);
            topics.push_back(lock->record.topic);
        }
    }
    if (!atLock || held.empty()) {
        return respond(
            finishUserRemoval(user, held, topics, std::vector<Result<void>>(held.size()), false));
    }
    // Every lock is asked at once (each runs its deletions in turn); the answer waits for all.
    struct Pending {
        std::vector<Result<void>> erased;
        std::size_t left;
    };
    auto pending =
        std::make_shared<Pending>(Pending{std::vector<Result<void>>(held.size()), held.size()});
    for (std::size_t i = 0; i < held.size(); ++i) {
        eraser_.erase(held[i],
                      [this, pending, i, user, held, topics, respond](const Result<void>& erased) {
                          pending->erased[i] = erased;
                          if (--pending->left == 0) {
                              respond(finishUserRemoval(user, held, topics, pending->erased, true));
                          }
                      });
    }
}

Result<nlohmann::json> UserDirectory::finishUserRemoval(const ports::User& user,
                                                        const std::vector<ports::Credential>& held,
                                                        const std::vector<std::string>& topics,
                                                        const std::vector<Result<void>>& erased,
                                                        bool atLock) {
    nlohmann::json deleted = nlohmann::json::array();
    bool all = true;
    for (std::size_t i = 0; i < held.size(); ++i) {
        nlohmann::json entry = {
            {"lock", topics[i]}, {"method", held[i].method}, {"credential", held[i].hardwareId}};
        if (!atLock) {
            entry["result"] = "skipped";
        } else if (erased[i]) {
            entry["result"] = "ok";
        } else {
            all = false;
            entry["result"] = std::string(errcName(erased[i].error().code));
            entry["message"] = erased[i].error().message;
        }
        deleted.push_back(std::move(entry));
    }
    if (all) {
        auto removed = store_.removeUser(user.id);
        if (!removed) {
            return tl::unexpected(removed.error());
        }
        for (const auto& credential : *removed) {
            credentials_.erase({credential.lockId, credential.method, credential.hardwareId});
        }
        users_.erase(user.id);
        log::info(kUsersTag, "user removed", {{"USER_ID", std::to_string(user.id)}});
        changed();
    } else {
        // The user stays, holding what a lock still accepts, so nothing a lock still opens for
        // becomes anonymous.
        for (std::size_t i = 0; i < held.size(); ++i) {
            auto forgotten = erased[i] ? forget(held[i]) : Result<nlohmann::json>{};
            if (!forgotten && forgotten.error().code != Errc::NotFound) {
                return tl::unexpected(forgotten.error());
            }
        }
        log::warning(kUsersTag, "user kept: a lock did not delete their credentials",
                     {{"USER_ID", std::to_string(user.id)}});
    }
    return nlohmann::json{{"user", describeUser(user)}, {"removed", all}, {"deleted", deleted}};
}

Result<nlohmann::json> UserDirectory::listUsers(const nlohmann::json& body) {
    JsonReader reader = requestReader(body);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    nlohmann::json users = nlohmann::json::array();
    for (const auto& [id, user] : users_) {
        users.push_back(describeUser(user));
    }
    return nlohmann::json{{"users", users}};
}

Result<nlohmann::json> UserDirectory::assign(const nlohmann::json& body) {
    JsonReader reader = requestReader(body);
    SlotRequest slot;
    readSlot(reader, slot);
    reader.required("user");
    nlohmann::json reference;
    bool duress = false;
    if (auto ok = readUserReference(reader, body, reference); !ok) {
        return tl::unexpected(ok.error());
    }
    reader.boolean("duress", duress);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto method = readMethod(slot.method);
    if (!method) {
        return tl::unexpected(method.error());
    }
    auto lock = registry_.lockCalled(slot.lock);
    if (!lock) {
        return tl::unexpected(lock.error());
    }
    auto user = findUser(reference);
    if (!user) {
        return tl::unexpected(user.error());
    }
    return store({(*lock)->record.id, slot.method, slot.hardwareId, (*user)->id, duress, {}});
}

Result<nlohmann::json> UserDirectory::store(ports::Credential credential) {
    if (auto stored = store_.assignCredential(credential); !stored) {
        return tl::unexpected(stored.error());
    }
    auto description = describe(credential);
    auto& cached = credentials_[{credential.lockId, credential.method, credential.hardwareId}];
    if (credential.pinHash.empty()) {
        credential.pinHash = std::move(cached.pinHash);  // as the store keeps it
    }
    cached = std::move(credential);
    changed();
    return description;
}

Result<nlohmann::json> UserDirectory::listCredentials(const nlohmann::json& body) {
    JsonReader reader = requestReader(body);
    std::string lockTopic;
    reader.nonEmptyString("lock", lockTopic);
    nlohmann::json reference;
    if (auto ok = readUserReference(reader, body, reference); !ok) {
        return tl::unexpected(ok.error());
    }
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    std::optional<std::int64_t> lockId;
    if (!lockTopic.empty()) {
        auto lock = registry_.lockCalled(lockTopic);
        if (!lock) {
            return tl::unexpected(lock.error());
        }
        lockId = (*lock)->record.id;
    }
    std::optional<std::int64_t> userId;
    if (!reference.is_null()) {
        auto user = findUser(reference);
        if (!user) {
            return tl::unexpected(user.error());
        }
        userId = (*user)->id;
    }
    nlohmann::json credentials = nlohmann::json::array();
    for (const auto& [slot, credential] : credentials_) {
        if ((lockId && credential.lockId != *lockId) || (userId && credential.userId != *userId) ||
            registry_.byId(credential.lockId) == nullptr) {
            continue;
        }
        credentials.push_back(describe(credential));
    }
    return nlohmann::json{{"credentials", credentials}};
}

void UserDirectory::removeCredential(const nlohmann::json& body, BridgeService::Responder respond) {
    JsonReader reader = requestReader(body);
    SlotRequest request;
    bool atLock = true;
    readSlot(reader, request);
    reader.boolean("at_lock", atLock);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    if (auto method = readMethod(request.method); !method) {
        return respond(tl::unexpected(method.error()));
    }
    auto lock = registry_.lockCalled(request.lock);
    if (!lock) {
        return respond(tl::unexpected(lock.error()));
    }
    auto found = credentials_.find({(*lock)->record.id, request.method, request.hardwareId});
    if (found == credentials_.end()) {
        return respond(fail(Errc::NotFound, "lock \"" + request.lock + "\" has no " +
                                                request.method + " credential " +
                                                std::to_string(request.hardwareId)));
    }
    const ports::Credential credential = found->second;
    if (!atLock) {
        return respond(forget(credential));
    }
    eraser_.erase(credential, [this, credential, respond](const Result<void>& erased) {
        if (!erased) {
            return respond(
                fail(erased.error().code,
                     "not deleted at the lock, so the hub keeps it: " + erased.error().message));
        }
        respond(forget(credential));
    });
}

// Forgets the credential in that slot, if it is still there (another request may have removed it
// while the lock answered).
Result<nlohmann::json> UserDirectory::forget(const ports::Credential& credential) {
    auto found = credentials_.find({credential.lockId, credential.method, credential.hardwareId});
    if (found == credentials_.end()) {
        return fail(Errc::NotFound, "the credential was removed meanwhile");
    }
    if (auto removed =
            store_.removeCredential(credential.lockId, credential.method, credential.hardwareId);
        !removed) {
        return tl::unexpected(removed.error());
    }
    auto description = describe(found->second);
    credentials_.erase(found);
    changed();
    return description;
}

// A removed lock's id never comes back (a re-paired lock gets a new one), so its credentials
// could never match again: they go with it. Should the store refuse, the rows stay behind
// unreachable (nothing lists a credential of a lock that is not paired) until the next removal.
void UserDirectory::lockRemoving(const PairedLock& lock) {
    const std::int64_t id = lock.record.id;
    if (auto removed = store_.removeLockCredentials(id); !removed) {
        log::error(kUsersTag,
                   "cannot forget the removed lock's credentials: " + removed.error().message,
                   {{"LOCK", lock.record.topic}});
    }
    std::erase_if(credentials_, [id](const auto& entry) { return entry.second.lockId == id; });
}

std::vector<ports::User> UserDirectory::holdersOf(std::int64_t lockId) const {
    std::vector<ports::User> holders;
    for (const auto& [id, user] : users_) {
        const bool holds = std::ranges::any_of(credentials_, [&, userId = id](const auto& entry) {
            return entry.second.lockId == lockId && entry.second.userId == userId;
        });
        if (holds) {
            holders.push_back(user);
        }
    }
    return holders;
}

void UserDirectory::changed() const {
    for (const auto& listener : changeListeners_) {
        listener();
    }
}

}  // namespace lockhub
