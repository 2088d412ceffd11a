// The lock-side state `ctl inspect` shows and tests assert on. PINs and keys are never included:
// temporary passwords and credentials show their metadata only.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/firmware/VirtualLock.h"

namespace lockhub::sim {

nlohmann::json dpToJson(const Dp& dp);
nlohmann::json lockStateToJson(const VirtualLock& lock, protocol::tuya::UtcTime hostUtc);

}  // namespace lockhub::sim
