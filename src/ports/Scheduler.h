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
};

}  // namespace lockhub::ports
