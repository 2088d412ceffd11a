// DP records as a lock puts them on the wire, and the events they should become, for the tests'
// tables.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <vector>

#include "domain/lock/DpRecord.h"
#include "domain/lock/LockEvent.h"

namespace lockhub::domain::test {

inline DpRecord valueDp(std::uint8_t id, std::int32_t value) {
    const auto u = static_cast<std::uint32_t>(value);
    return {id,
            dptype::kValue,
            {static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
             static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)}};
}

inline DpRecord boolDp(std::uint8_t id, bool on) {
    return {id, dptype::kBool, {static_cast<std::uint8_t>(on ? 1 : 0)}};
}

inline DpRecord enumDp(std::uint8_t id, std::uint8_t value) {
    return {id, dptype::kEnum, {value}};
}

inline DpRecord rawDp(std::uint8_t id, std::vector<std::uint8_t> bytes) {
    return {id, dptype::kRaw, std::move(bytes)};
}

// Wire bytes put together from their fields.
inline std::vector<std::uint8_t> concat(std::initializer_list<std::vector<std::uint8_t>> parts) {
    std::vector<std::uint8_t> out;
    for (const auto& part : parts) {
        out.insert(out.end(), part.begin(), part.end());
    }
    return out;
}

// The lock time the tables' reports carry.
inline constexpr std::int64_t kT = 1700000000;

inline LockEvent event(EventKind kind, std::uint8_t dp, std::optional<std::int64_t> lockTime = kT) {
    LockEvent e;
    e.kind = kind;
    e.dp = dp;
    e.lockTime = lockTime;
    return e;
}

// A value request DP carries how long the request stays open.
inline LockEvent unlockRequest(std::uint8_t dp, std::uint32_t windowS) {
    LockEvent e = event(EventKind::UnlockRequest, dp);
    e.requestWindowS = windowS;
    return e;
}

inline LockEvent unlock(std::uint8_t dp, UnlockMethod method,
                        std::optional<std::uint32_t> credential,
                        std::optional<std::uint32_t> member = std::nullopt) {
    LockEvent e = event(EventKind::Unlock, dp);
    e.method = method;
    e.credential = credential;
    e.member = member;
    return e;
}

}  // namespace lockhub::domain::test
