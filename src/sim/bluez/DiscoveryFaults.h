// Fault injection for discovery, shared by every adapter: while `refusal` is set, StartDiscovery
// answers with that org.bluez.Error (as bluetoothd does when the controller is busy, powering or
// broken), and every StartDiscovery is timed so a test can see how a client paces its retries.
#pragma once

#include <chrono>
#include <optional>
#include <vector>

#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

struct DiscoveryFaults {
    std::optional<BluezErrc> refusal;
    std::vector<std::chrono::steady_clock::time_point> startCalls;
};

}  // namespace lockhub::sim::bluez
