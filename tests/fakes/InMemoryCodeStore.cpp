#include "tests/fakes/InMemoryCodeStore.h"

namespace lockhub::fakes {

Result<void> InMemoryCodeStore::check() const {
    if (failing) {
        return fail(Errc::Storage, "the in-memory code store is set to fail");
    }
    return {};
}

Result<ports::IssuedCode> InMemoryCodeStore::addCode(ports::IssuedCode code) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    code.id = nextId_++;
    codes_[code.id] = code;
    return code;
}

Result<std::vector<ports::IssuedCode>> InMemoryCodeStore::codes(std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    std::vector<ports::IssuedCode> out;
    for (const auto& [id, code] : codes_) {
        if (code.lockId == lockId) {
            out.push_back(code);
        }
    }
    return out;
}

Result<void> InMemoryCodeStore::setCodeState(std::int64_t id, const std::string& state,
                                             std::int64_t at) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    auto it = codes_.find(id);
    if (it == codes_.end()) {
        return fail(Errc::NotFound, "no issued code has id " + std::to_string(id));
    }
    it->second.state = state;
    it->second.changedAt = at;
    return {};
}

Result<void> InMemoryCodeStore::removeLockCodes(std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    std::erase_if(codes_, [lockId](const auto& entry) { return entry.second.lockId == lockId; });
    tables_.erase(lockId);
    lockouts_.erase(lockId);
    return {};
}

Result<std::optional<domain::codes::OfflineCodeTable>> InMemoryCodeStore::verifierTable(
    std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto it = tables_.find(lockId);
    return it == tables_.end() ? std::nullopt : std::optional(it->second);
}

Result<void> InMemoryCodeStore::setVerifierTable(std::int64_t lockId,
                                                 const domain::codes::OfflineCodeTable& table) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    tables_[lockId] = table;
    return {};
}

Result<domain::codes::LockoutState> InMemoryCodeStore::lockout(std::int64_t lockId) {
    if (auto ok = check(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto it = lockouts_.find(lockId);
    return it == lockouts_.end() ? domain::codes::LockoutState{} : it->second;
}

Result<void> InMemoryCodeStore::setLockout(std::int64_t lockId,
                                           const domain::codes::LockoutState& state) {
    if (auto ok = check(); !ok) {
        return ok;
    }
    lockouts_[lockId] = state;
    return {};
}

}  // namespace lockhub::fakes
