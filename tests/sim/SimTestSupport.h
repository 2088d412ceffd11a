// Shared by the simulator's tests: a fixed identity, the lock-time clock, and a hub that talks to
// a VirtualLock in memory through protocol::tuya::HubSession.
#pragma once

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "protocol/tuya/HubSession.h"
#include "sim/firmware/SimLockIdentity.h"
#include "unit/protocol/TestSupport.h"

namespace lockhub::sim::test {

using protocol::tuya::test::CountingRandom;
using protocol::tuya::test::fromHex;
using protocol::tuya::test::toHex;

inline nlohmann::json readVectors(const std::string& file) {
    const auto path = std::filesystem::path(LOCKHUB_VECTORS_DIR) / file;
    std::ifstream in(path);
    if (!in) {
        throw std::runtime_error("missing vector file " + path.string());
    }
    return nlohmann::json::parse(in);
}

inline protocol::tuya::HubSessionConfig hubConfigFor(const SimLockIdentity& identity) {
    protocol::tuya::HubSessionConfig config;
    config.uuid = identity.uuid;
    config.loginKey = SecretString(identity.loginKey());
    config.deviceId = identity.deviceId;
    config.version = identity.protocol;
    return config;
}

}  // namespace lockhub::sim::test
