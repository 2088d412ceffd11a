// `pair --from FILE`: the devices.json that tinytuya's wizard (`python -m tinytuya wizard`) writes,
// a JSON array with one object per device of the Tuya account. lockhubctl uses five of its fields
// (the others, such as category, icon, ip, version or mapping, are ignored):
//   id → device_id, key → local_key, mac → mac, uuid → uuid, name → name;
// plus product_id when present. Secrets read from it go only into the pair request.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/Outcome.h"
#include "domain/Secret.h"

namespace lockhub::ctl {

struct TuyaDevice {
    std::string name;
    std::string id;
    SecretString key;
    std::string mac;
    std::string uuid;
    std::string productId;  // empty when the file has none
};

// Fails (exit 1) when the text is not such a file; `source` names it in messages.
Outcome<std::vector<TuyaDevice>> parseDevicesFile(const std::string& text,
                                                  const std::string& source);

// The devices named by `selectors` (each a device's name or id, compared exactly), in the
// selectors' order. Without selectors the file must hold exactly one device. Fails (exit 1)
// for a selector that names no device, or a device without the keys a Bluetooth lock needs.
Outcome<std::vector<TuyaDevice>> selectDevices(const std::vector<TuyaDevice>& devices,
                                               const std::vector<std::string>& selectors);

// The lock/pair request for `device` (without transaction, lock, protocol or policy).
nlohmann::json pairRequestFor(const TuyaDevice& device);

}  // namespace lockhub::ctl
