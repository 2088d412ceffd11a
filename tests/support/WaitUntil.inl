#pragma once

#include <thread>

namespace lockhub::testing {

template <typename Predicate>
bool waitUntil(Predicate predicate, std::chrono::milliseconds timeout,
               std::chrono::milliseconds step) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!predicate()) {
        if (std::chrono::steady_clock::now() >= deadline) {
            return predicate();
        }
        std::this_thread::sleep_for(step);
    }
    return true;
}

}  // namespace lockhub::testing
