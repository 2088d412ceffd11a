// The one simulated lock the link tests talk to: its lock side (for FakeLockRadio) and the keys
// the hub holds for it.
#pragma once

#include <string>

#include "app/LockLink.h"
#include "protocol/tuya/LockSession.h"

namespace lockhub::test {

inline constexpr const char* kLinkMac = "DC:23:4D:00:00:01";

inline protocol::tuya::LockIdentity lockSide() {
    protocol::tuya::LockIdentity identity;
    identity.uuid = "tuyab10f2d3c4e5a";
    identity.loginKey = SecretString("a3f6b2");
    identity.deviceId = "bf1234567890abcdefgh";
    return identity;
}

inline LockIdentity hubSide(const std::string& mac = kLinkMac,
                            const std::string& loginKey = "a3f6b2") {
    return {mac, "tuyab10f2d3c4e5a", "bf1234567890abcdefgh", SecretString(loginKey),
            protocol::tuya::ProtocolVersion::V3};
}

}  // namespace lockhub::test
