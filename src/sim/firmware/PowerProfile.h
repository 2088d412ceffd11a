// How a lock is powered, and so how it uses its radio. A mains lock advertises at the scanner's
// pace and keeps any link. A battery lock sleeps: it drops a link after `idleTimeout` without
// traffic, advertises only every `advertisingInterval` while it has nothing to report, keeps at
// most 20 records even while a hub is paired, and, like every sim lock, raises the connect-request
// bit while records wait (then it advertises at full pace until a hub has drained it).
#pragma once

#include <chrono>

namespace lockhub::sim {

enum class PowerSource { Mains, Battery };

struct PowerProfile {
    PowerSource source = PowerSource::Mains;
    // Defaults in the range of Tuya battery locks: about one slow advertisement every 2 s, and a
    // few seconds of an idle link before the lock saves power again. Tests make them short.
    std::chrono::milliseconds advertisingInterval{2000};
    std::chrono::milliseconds idleTimeout{5000};

    bool battery() const { return source == PowerSource::Battery; }
};

}  // namespace lockhub::sim
