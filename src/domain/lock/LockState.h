// What the hub knows about a lock's bolt, battery and door, with the names used on MQTT
// (design §4; the lock states are Home Assistant's lock states in lower case).
#pragma once

#include <optional>
#include <string_view>

namespace lockhub::domain {

// Unknown whenever the state cannot be confirmed: a stale "locked" is worse than no answer.
enum class LockState { Unknown, Locked, Unlocked, Locking, Unlocking, Jammed };

// DP 9 battery_state: the coarse level locks without a percentage report.
enum class BatteryLevel { High, Medium, Low, Exhausted };

enum class DoorState { Open, Closed };

std::string_view lockStateName(LockState state);
std::optional<LockState> parseLockState(std::string_view name);
std::string_view batteryLevelName(BatteryLevel level);
std::optional<BatteryLevel> parseBatteryLevel(std::string_view name);
std::string_view doorStateName(DoorState door);
std::optional<DoorState> parseDoorState(std::string_view name);

}  // namespace lockhub::domain
