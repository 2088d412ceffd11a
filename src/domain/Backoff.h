// Jittered exponential back-off for reconnects (MQTT broker, BLE links). Jitter keeps a fleet of
// hubs, or several locks on one hub, from retrying in lock-step after a shared outage.
#pragma once

#include <chrono>

namespace lockhub {

class Backoff {
public:
    Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max);

    // The delay before the next attempt: the current base scaled into [base/2, base] by
    // `unitRandom` (a uniform value in [0, 1) supplied by the caller); the base then doubles up to
    // the maximum.
    std::chrono::milliseconds next(double unitRandom);
    void reset();
    int attempts() const { return attempts_; }

private:
    std::chrono::milliseconds initial_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds base_;
    int attempts_ = 0;
};

}  // namespace lockhub
