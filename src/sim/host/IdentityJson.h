// Lock identities as JSON: the credentials file entry the daemon and the demo pair from, and the
// overrides accepted from --config and `ctl add`. Keys: name, mac, adapter, product_id, uuid,
// device_id, local_key, protocol (3 or 4), gatt ("1910" or "fd50").
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "domain/Error.h"
#include "sim/firmware/SimLockIdentity.h"

namespace lockhub::sim {

nlohmann::json identityToJson(const SimLockIdentity& identity);
// Fields present in `overrides` replace those of `base`; every field is validated (Config error
// naming the key, never echoing a key's value).
Result<SimLockIdentity> identityFromJson(const nlohmann::json& overrides, SimLockIdentity base);

}  // namespace lockhub::sim
