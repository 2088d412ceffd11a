// The lock-side state `ctl inspect` shows and tests assert on. PINs and keys are never included:
// temporary passwords and credentials show their metadata only.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/firmware/VirtualLock.h"

namespace lockhub::sim {

nlohmann::json dpToJson(const Dp& dp);
// {id, dp, value_hex, lock_time}: what a hub stores of a record (the DP's value bytes as on the
// wire). Every record the sim makes holds exactly one DP.
nlohmann::json recordToJson(const LockRecord& record);
nlohmann::json lockStateToJson(const VirtualLock& lock, protocol::tuya::UtcTime hostUtc);

}  // namespace lockhub::sim
