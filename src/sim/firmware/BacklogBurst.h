// `ctl burst`: a lock replaying a stored backlog at once, as one does when a hub finally connects
// after it was out of reach. Every record is a fingerprint unlock (DP 12, hardware id) at its own
// lock second, so a hub's de-duplication by (DP, value, lock time) must keep every one of them.
//
// Seconds: a burst ends at the lock's current second and spreads backwards, as a real backlog lies
// in the past, but it never reuses a second of this lock's previous burst. When that burst already
// reaches the current second (bursts in quick succession, or the RTC was set back), the new one
// starts right after it and runs into the future: the only way left to keep records distinct.
// Hardware ids cycle through 0..254 (all that DP 12 carries), so values vary as well.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/tuya/Dp.h"

namespace lockhub::sim {

using protocol::tuya::Dp;

struct TimedRecord {
    std::vector<Dp> dps;
    std::int64_t lockTime = 0;
};

class BacklogBurst {
public:
    // `count` records in lock-time order; `lockNow` is the RTC's current second.
    std::vector<TimedRecord> next(std::uint32_t count, std::int64_t lockNow);

private:
    std::optional<std::int64_t> lastSecond_;
    std::uint8_t nextHardwareId_ = 0;
};

}  // namespace lockhub::sim
