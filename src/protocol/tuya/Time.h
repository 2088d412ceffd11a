// Time enters the sessions as values. Monotonic time drives deadlines and retransmissions; UTC is
// only needed to answer the lock's time requests (§1.14).
#pragma once

#include <chrono>

namespace lockhub::protocol::tuya {

using MonoTime = std::chrono::steady_clock::time_point;
using UtcTime = std::chrono::system_clock::time_point;
using Duration = std::chrono::milliseconds;

struct Now {
    MonoTime mono;
    UtcTime utc;
};

}  // namespace lockhub::protocol::tuya
