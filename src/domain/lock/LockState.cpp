#include "domain/lock/LockState.h"

#include "domain/lock/NameTable.h"

namespace lockhub::domain {
namespace {

constexpr NameTable<LockState, 6> kLockStates = {{
    {LockState::Unknown, "unknown"},
    {LockState::Locked, "locked"},
    {LockState::Unlocked, "unlocked"},
    {LockState::Locking, "locking"},
    {LockState::Unlocking, "unlocking"},
    {LockState::Jammed, "jammed"},
}};

constexpr NameTable<BatteryLevel, 4> kBatteryLevels = {{
    {BatteryLevel::High, "high"},
    {BatteryLevel::Medium, "medium"},
    {BatteryLevel::Low, "low"},
    {BatteryLevel::Exhausted, "exhausted"},
}};

constexpr NameTable<DoorState, 2> kDoorStates = {{
    {DoorState::Open, "open"},
    {DoorState::Closed, "closed"},
}};

}  // namespace

std::string_view lockStateName(LockState state) {
    return nameIn(kLockStates, state);
}
std::optional<LockState> parseLockState(std::string_view name) {
    return parseIn(kLockStates, name);
}
std::string_view batteryLevelName(BatteryLevel level) {
    return nameIn(kBatteryLevels, level);
}
std::optional<BatteryLevel> parseBatteryLevel(std::string_view name) {
    return parseIn(kBatteryLevels, name);
}
std::string_view doorStateName(DoorState door) {
    return nameIn(kDoorStates, door);
}
std::optional<DoorState> parseDoorState(std::string_view name) {
    return parseIn(kDoorStates, name);
}

}  // namespace lockhub::domain
