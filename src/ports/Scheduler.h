// Port: time for the app layer. Timers fire on the event loop thread; the clocks are the loop's.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace lockhub::ports {

class Scheduler {
public:
    using TimerId = std::uint64_t;  // 0 is never a live timer

    virtual ~Scheduler() = default;
    virtual TimerId after(std::chrono::milliseconds delay, std::function<void()> callback) = 0;
    // No-op for 0 and for timers that already fired or were cancelled.
    virtual void cancel(TimerId id) = 0;
    virtual std::chrono::steady_clock::time_point now() const = 0;
    virtual std::chrono::system_clock::time_point utcNow() const = 0;

    // utcNow() as Unix time, truncated, in the units records and payloads carry.
    std::int64_t unixSeconds() const {
        return std::chrono::duration_cast<std::chrono::seconds>(utcNow().time_since_epoch())
            .count();
    }
    std::int64_t unixMillis() const {
        return std::chrono::duration_cast<std::chrono::milliseconds>(utcNow().time_since_epoch())
            .count();
    }
};

}  // namespace lockhub::ports
