// Who a virtual lock is: the data a hub needs to pair with it (written to the credentials file),
// what the lock itself advertises, and how it is powered. Deterministic from (seed, index) so tests
// and the demo can rely on stable MACs and keys.
#pragma once

#include <cstdint>
#include <string>

#include "protocol/tuya/ProtocolVersion.h"
#include "sim/firmware/PowerProfile.h"

namespace lockhub::sim {

enum class GattGeneration { Classic1910, Fd50 };

struct SimLockIdentity {
    std::string name;       // "lock1", the key used by ctl
    std::string mac;        // "AA:BB:CC:DD:EE:FF"
    std::string adapter;    // "hci0"
    std::string productId;  // 8 characters, advertised in the service data
    std::string uuid;       // 16 characters, the device UUID
    std::string deviceId;   // virtual id, 22 characters
    std::string localKey;   // 16 characters; login key = first 6
    protocol::tuya::ProtocolVersion protocol = protocol::tuya::ProtocolVersion::V4;
    GattGeneration gatt = GattGeneration::Classic1910;
    PowerProfile power;

    std::string loginKey() const { return localKey.substr(0, 6); }
    // v4 firmware with the FD50 layout advertises the 0xFD50 generation; the rest the 0xA201 one.
    bool advertisesFd50() const {
        return protocol == protocol::tuya::ProtocolVersion::V4 && gatt == GattGeneration::Fd50;
    }
};

// Lock `index` (0-based) of a simulator started with `seed`. Even indices speak v4, odd v3, so
// `--locks 2` covers both personalities.
SimLockIdentity generateIdentity(std::uint64_t seed, std::uint32_t index);

}  // namespace lockhub::sim
