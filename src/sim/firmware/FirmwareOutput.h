// What the firmware says after an input: `status` reports carry no time (state, command results),
// `records` carry the lock's RTC and must reach the hub even after a disconnect.
#pragma once

#include <vector>

#include "protocol/tuya/Dp.h"

namespace lockhub::sim {

using protocol::tuya::Dp;

struct FirmwareOutput {
    std::vector<std::vector<Dp>> status;
    std::vector<std::vector<Dp>> records;
};

}  // namespace lockhub::sim
