// The Scheduler port on the daemon's event loop.
#pragma once

#include "adapters/systemd/EventLoop.h"
#include "ports/Scheduler.h"

namespace lockhub::adapters::systemd {

class LoopScheduler final : public ports::Scheduler {
public:
    explicit LoopScheduler(EventLoop& loop) : loop_(loop) {}

    TimerId after(std::chrono::milliseconds delay, std::function<void()> callback) override {
        return loop_.addTimer(delay, std::move(callback));
    }
    void cancel(TimerId id) override { loop_.cancel(id); }
    std::chrono::steady_clock::time_point now() const override {
        // sd-event's CLOCK_MONOTONIC and steady_clock share the same clock on Linux.
        return std::chrono::steady_clock::time_point(std::chrono::microseconds(loop_.nowUsec()));
    }
    std::chrono::system_clock::time_point utcNow() const override {
        return std::chrono::system_clock::now();
    }

private:
    EventLoop& loop_;
};

}  // namespace lockhub::adapters::systemd
