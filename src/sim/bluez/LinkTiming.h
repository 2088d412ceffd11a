// Radio timing of the simulated links. Zero by default so tests run at bus speed; --realistic
// sets connection set-up and a connection interval so figures look like real BLE.
#pragma once

#include <chrono>

namespace lockhub::sim::bluez {

struct LinkTiming {
    std::chrono::milliseconds connectMin{0};
    std::chrono::milliseconds connectMax{0};
    std::chrono::milliseconds perNotification{0};
    std::chrono::milliseconds rssiInterval{1000};  // advertisement refresh while discovering
    // bluetoothd's TemporaryTimeout (main.conf, default 30 s); zero keeps devices forever.
    std::chrono::seconds temporaryTimeout{30};

    static LinkTiming realistic() {
        return {std::chrono::milliseconds(100), std::chrono::milliseconds(500),
                std::chrono::milliseconds(30), std::chrono::milliseconds(1000),
                std::chrono::seconds(30)};
    }
};

}  // namespace lockhub::sim::bluez
