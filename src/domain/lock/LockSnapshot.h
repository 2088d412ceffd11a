// The lock's last known state, updated from translated DPs. The link manager owns one per lock
// and decides when the lock state can no longer be trusted (forgetLockState).
#pragma once

#include <optional>

#include "domain/lock/LockState.h"

namespace lockhub::domain {

// The state part of one DP's meaning; absent fields are left as they were. The `{}` let callers
// use designated initializers without -Wmissing-field-initializers.
struct StateUpdate {
    std::optional<LockState> lock{};
    std::optional<int> battery{};  // percent, 0-100
    std::optional<BatteryLevel> batteryLevel{};
    std::optional<DoorState> door{};

    bool empty() const { return !lock && !battery && !batteryLevel && !door; }
    bool operator==(const StateUpdate&) const = default;
};

struct LockSnapshot {
    LockState lock = LockState::Unknown;
    std::optional<int> battery;
    std::optional<BatteryLevel> batteryLevel;
    std::optional<DoorState> door;

    // True when any field changed, so the caller republishes the retained state only then.
    bool apply(const StateUpdate& update);
    // The bolt position goes unknown (link lost, no confirmation); battery and door stay as
    // their last report, which is still the best estimate.
    void forgetLockState() { lock = LockState::Unknown; }

    bool operator==(const LockSnapshot&) const = default;
};

}  // namespace lockhub::domain
