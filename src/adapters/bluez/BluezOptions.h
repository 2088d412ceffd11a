// The daemon's "bluetooth" configuration: which bus BlueZ is on and which adapter to use.
#pragma once

#include <chrono>
#include <string>

namespace lockhub::adapters::bluez {

struct BluezOptions {
    // "system": the system bus (honours DBUS_SYSTEM_BUS_ADDRESS); anything else is a D-Bus
    // address such as "unix:path=/run/test/bus.sock" (tests, the demo).
    std::string bus = "system";
    // "hci0", "hci1", … or "any": the first adapter BlueZ lists.
    std::string adapter = "hci0";
    // How long to wait before reconnecting to a bus that failed, or re-reading a BlueZ that
    // answered with an error.
    std::chrono::milliseconds retryInterval{1000};
    // Back-off while the adapter refuses discovery (SetDiscoveryFilter/StartDiscovery): jittered,
    // doubling from the first to the last value, reset once discovery starts or the adapter
    // comes back.
    std::chrono::milliseconds discoveryRetryInitial{1000};
    std::chrono::milliseconds discoveryRetryMax{60'000};
};

}  // namespace lockhub::adapters::bluez
