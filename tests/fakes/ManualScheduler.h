// A Scheduler whose time moves only when the test says so; timers fire in deadline order.
#pragma once

#include <map>
#include <utility>

#include "ports/Scheduler.h"

namespace lockhub::fakes {

class ManualScheduler final : public ports::Scheduler {
public:
    TimerId after(std::chrono::milliseconds delay, std::function<void()> callback) override {
        const TimerId id = next_++;
        timers_.emplace(std::make_pair(now_ + delay, id), std::move(callback));
        return id;
    }
    void cancel(TimerId id) override {
        for (auto it = timers_.begin(); it != timers_.end(); ++it) {
            if (it->first.second == id) {
                timers_.erase(it);
                return;
            }
        }
    }
    std::chrono::steady_clock::time_point now() const override { return now_; }
    std::chrono::system_clock::time_point utcNow() const override {
        return std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)) +
               (now_ - std::chrono::steady_clock::time_point());
    }

    // Runs every timer due within `span`, advancing the clock to each one's deadline.
    void advance(std::chrono::milliseconds span) {
        const auto end = now_ + span;
        while (!timers_.empty() && timers_.begin()->first.first <= end) {
            auto node = timers_.extract(timers_.begin());
            now_ = std::max(now_, node.key().first);
            node.mapped()();
        }
        now_ = end;
    }
    // Runs what is due now (zero-delay work such as delivered notifications).
    void settle() { advance(std::chrono::milliseconds(0)); }

private:
    std::chrono::steady_clock::time_point now_{std::chrono::hours(1)};
    TimerId next_ = 1;
    std::map<std::pair<std::chrono::steady_clock::time_point, TimerId>, std::function<void()>>
        timers_;
};

}  // namespace lockhub::fakes
