#include "domain/codes/WrongCodeLockout.h"

#include <algorithm>

namespace lockhub::domain::codes {

bool isLockedOut(const LockoutState& state, std::int64_t nowMs) {
    return nowMs < state.lockedUntilMs;
}

std::optional<std::int64_t> recordWrongCode(LockoutState& state, const LockoutRules& rules,
                                            std::int64_t nowMs) {
    if (isLockedOut(state, nowMs)) {
        return std::nullopt;
    }
    if (state.failures > 0 && nowMs - state.lastFailureMs > rules.windowMs) {
        state.failures = 0;
    }
    if (state.level > 0 &&
        nowMs - std::max(state.lockedUntilMs, state.lastFailureMs) > rules.windowMs) {
        state.level = 0;
    }
    state.lastFailureMs = nowMs;
    if (++state.failures < rules.limit) {
        return std::nullopt;
    }
    // Doubling stops at the cap long before the shift could overflow.
    std::int64_t duration = rules.baseMs;
    for (int i = 0; i < state.level && duration < rules.maxMs; ++i) {
        duration *= 2;
    }
    duration = std::min(duration, rules.maxMs);
    state.failures = 0;
    state.level += 1;
    state.lockedUntilMs = nowMs + duration;
    return state.lockedUntilMs;
}

void recordCorrectCode(LockoutState& state) {
    state.failures = 0;
    state.level = 0;
}

}  // namespace lockhub::domain::codes
