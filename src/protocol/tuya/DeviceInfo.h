// DEVICE_INFO (0x0000) response payload (§1.10). The request has no data.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Keys.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

inline constexpr std::size_t kDeviceInfoMinSize = 46;

struct DeviceInfo {
    std::array<std::uint8_t, 2> firmwareVersion{};  // legacy major, minor (bytes 0-1)
    std::uint8_t protocolMajor = 3;
    std::uint8_t protocolMinor = 3;
    std::uint8_t flags = 0;
    bool bound = false;
    Srand srand{};                                  // fresh per request; keys the session
    std::array<std::uint8_t, 2> hardwareVersion{};  // legacy major, minor (bytes 12-13)
    std::array<std::uint8_t, 32> authKey{};
    // Bytes 46 onwards, kept verbatim (v4: 3-byte firmware/hardware versions, communication
    // ability, virtual id, MCU versions, ...).
    Bytes extension;

    bool operator==(const DeviceInfo&) const = default;
};

Bytes encodeDeviceInfo(const DeviceInfo& info);
// BadPayload below 46 bytes.
ProtocolResult<DeviceInfo> decodeDeviceInfo(ByteView data);

}  // namespace lockhub::protocol::tuya
