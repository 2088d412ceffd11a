// The wrong-code lockout, Matter style (DoorLock WrongCodeEntryLimit /
// UserCodeTemporaryDisableTime): after `limit` wrong codes within a window, codes are refused for a
// while, and each lockout that follows another without a correct code in between lasts twice as
// long, up to a cap. A plain value so the hub can persist it; time is a parameter (hub UTC
// milliseconds, which survive a restart).
#pragma once

#include <cstdint>
#include <optional>

namespace lockhub::domain::codes {

struct LockoutRules {
    int limit = 5;                 // wrong codes that start a lockout
    std::int64_t baseMs = 60'000;  // the first lockout
    std::int64_t maxMs = 900'000;  // the cap of the doubling
    // Wrong codes further apart than this do not add up, and a lockout this long over without a
    // new wrong code no longer doubles the next one.
    std::int64_t windowMs = 900'000;
};

struct LockoutState {
    int failures = 0;  // wrong codes since the window started
    std::int64_t lastFailureMs = 0;
    std::int64_t lockedUntilMs = 0;  // 0: never locked out
    int level = 0;                   // lockouts in a row: the next one lasts base * 2^level

    bool operator==(const LockoutState&) const = default;
};

bool isLockedOut(const LockoutState& state, std::int64_t nowMs);

// Counts one wrong code. Returns the new lockout's end when this one starts a lockout. A wrong
// code while locked out changes nothing: the attempt was refused, not judged.
std::optional<std::int64_t> recordWrongCode(LockoutState& state, const LockoutRules& rules,
                                            std::int64_t nowMs);

// A correct code: the count and the doubling start again.
void recordCorrectCode(LockoutState& state);

}  // namespace lockhub::domain::codes
