// The protocol major decides the DP length width and which write/report commands are used (§1.11).
#pragma once

#include <cstdint>

namespace lockhub::protocol::tuya {

enum class ProtocolVersion : std::uint8_t { V3 = 3, V4 = 4 };

}  // namespace lockhub::protocol::tuya
