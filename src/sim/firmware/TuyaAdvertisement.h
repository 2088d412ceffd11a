// What a Tuya BLE lock puts on air, per generation (docs/protocol.md "Advertisements"):
// - the 0xA201 generation: service data 0xA201 = id type 0 + the product id; manufacturer data
//   0x07D0 = flags (0x80 bound, 0x01 connect request), protocol major, encryption method,
//   communication capability, data type, the device UUID encrypted with AES-128-CBC,
//   key = IV = MD5(product id);
// - the 0xFD50 generation (v4 locks with the FD50 layout): service data 0xFD50 = frame control
//   (0x41 | 0x08 bound | 0x02 connect request, 0x00), id type 0, id length, the product id or, when
//   bound, a stand-in for the SDK's encrypted field; scan response 0x07D0 = encryption method,
//   capability, flag, the UUID encrypted with key = IV = MD5(service data).
// protocol::tuya::parseAdvertisement is the scanner's side.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/firmware/SimLockIdentity.h"

namespace lockhub::sim {

struct TuyaAdvertisement {
    std::uint16_t serviceUuid = 0;  // 0xA201 or 0xFD50: UUID list and service data key
    std::vector<std::uint8_t> serviceData;
    std::vector<std::uint8_t> manufacturerData;  // for company 0x07D0
};

TuyaAdvertisement buildAdvertisement(const SimLockIdentity& identity, bool bound,
                                     bool connectRequest);

// The 0xA201 generation's UUID for a known product id, as the hub's BlueZ tests check it: the
// 16-character device UUID, or empty if the data does not decrypt to one.
std::string decryptAdvertisedUuid(const std::string& productId,
                                  const std::vector<std::uint8_t>& manufacturerData);

}  // namespace lockhub::sim
