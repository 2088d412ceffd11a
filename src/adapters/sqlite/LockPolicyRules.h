// What a stored lock policy may hold (ports::LockStore::setPolicy), for the adapter and for the
// in-memory fake, which must refuse exactly what the adapter refuses (the contract test runs the
// same BadRequest cases against both). Header-only so the fake, which app tests link without the
// SQLite adapter, needs no library for it. The column CHECKs of schema version 5 say the same, as
// a last line of defence.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "domain/Error.h"
#include "ports/LockStore.h"

namespace lockhub::adapters::sqlite {

inline constexpr std::array<std::string_view, 3> kLockPolicyModes{"on_demand", "keep_alive",
                                                                  "always"};

// BadRequest for a mode other than the three and for a negative number of seconds. The numbers
// are named by their configuration keys (`locks.*`), which they override.
inline Result<void> validatePolicy(const ports::LockPolicy& policy) {
    if (policy.mode &&
        std::ranges::find(kLockPolicyModes, *policy.mode) == kLockPolicyModes.end()) {
        return fail(Errc::BadRequest, "lock policy mode '" + *policy.mode +
                                          "' is not one of on_demand, keep_alive, always");
    }
    const std::array<std::pair<std::string_view, const std::optional<std::int64_t>*>, 3> seconds{{
        {"keep_alive_s", &policy.keepAliveS},
        {"poll_interval_s", &policy.pollIntervalS},
        {"availability_timeout_s", &policy.availabilityTimeoutS},
    }};
    for (const auto& [key, value] : seconds) {
        if (*value && **value < 0) {
            return fail(Errc::BadRequest, "lock policy " + std::string(key) + " " +
                                              std::to_string(**value) + " must not be negative");
        }
    }
    return {};
}

}  // namespace lockhub::adapters::sqlite
