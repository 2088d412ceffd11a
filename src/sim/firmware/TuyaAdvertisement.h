// What a Tuya BLE lock puts on air (reference §1.2): service data for UUID 0xA201 carrying its
// product id, and manufacturer data for company 0x07D0 with the bound flag, the protocol version
// and the device UUID encrypted with AES-128-CBC, key = IV = MD5(product id).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/firmware/SimLockIdentity.h"

namespace lockhub::sim {

inline constexpr std::uint16_t kTuyaServiceDataUuid = 0xA201;
inline constexpr std::uint16_t kTuyaCompanyId = 0x07D0;

struct TuyaAdvertisement {
    std::vector<std::uint8_t> serviceData;       // for 0xA201: id type 0 (PID) + the PID
    std::vector<std::uint8_t> manufacturerData;  // for 0x07D0
};

TuyaAdvertisement buildAdvertisement(const SimLockIdentity& identity, bool bound);

// The scanner's side, used by tests and the demo to recognise a lock before connecting: the
// 16-character device UUID, or empty if the data is not a Tuya UUID for this product id.
std::string decryptAdvertisedUuid(const std::string& productId,
                                  const std::vector<std::uint8_t>& manufacturerData);

}  // namespace lockhub::sim
