// The simulator's command line and --config file.
//
//   lockhub-sim [--locks N] [--seed S] [--config FILE] [--bus ADDRESS] [--credentials FILE]
//               [--realistic] [--known] [--temporary-timeout SECONDS]
//
// The config file is a JSON object with optional keys "seed", "locks" (number, or an array of
// per-lock overrides as in IdentityJson.h), "credentials", "bus", "realistic", "known" and
// "temporary_timeout". Flags win over the file. Locks listed in the file come first; --locks N
// (default 1 without a list) tops up to N generated locks.
#pragma once

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::sim {

struct SimOptions {
    std::uint64_t seed = 1;
    std::optional<std::uint32_t> lockCount;
    std::vector<nlohmann::json> lockOverrides;
    std::string busAddress;  // empty: $DBUS_SYSTEM_BUS_ADDRESS (the system bus)
    std::filesystem::path credentialsFile;
    bool realistic = false;
    bool known = false;  // export every device at start instead of on discovery
    // Seconds after discovery stops until never-connected devices go (bluetoothd: 30; 0 = never).
    std::optional<std::uint32_t> temporaryTimeout;
};

Result<SimOptions> parseSimOptions(const std::vector<std::string>& args);

}  // namespace lockhub::sim
