// What a record's lock time says (issue 12 "Gaps" and "Time", docs/records.md):
//
// - Validity. A lock time more than 5 minutes ahead of the hub, or before 2020, is a clock the
//   lock lost (a battery change, a reset); the record is shown at the hub's receive time and
//   flagged `time_corrected`. Its replay key keeps what the lock sent, so a replay stays a
//   duplicate.
// - Live or replayed. A record is live when its lock time (less the drift known so far) is not
//   older than the moment the current connection became ready: the lock asks for the time on
//   every connection, so anything older was stored while the hub was away.
// - Drift. Lock time minus hub time on live records is the RTC drift, published in the lock's
//   state as `rtc_drift_s`. Over `maxDrift` the hub raises `clock_drift` and pushes its time to
//   the lock (LockLink::pushTime), at most once per `pushInterval`.
// - Gaps. The lock keeps `capacity` records. When one connection replays that many, its store was
//   full and older records may have been dropped: the hub estimates how many from the time order
//   (the gap between the last record it had and the oldest replayed one, divided by the replay's
//   mean spacing) and raises `records_lost` with `estimate: true`. The protocol carries no record
//   sequence number (v3 none; the v4 `sn` counts a connection's reports, not stored records), so
//   an estimate is all there is.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

#include "app/LockRegistry.h"
#include "app/StatePublisher.h"
#include "ports/RecordStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct LockTimelineOptions {
    std::chrono::seconds maxFuture{300};
    std::int64_t earliestValid = 1577836800;  // 2020-01-01T00:00:00Z
    std::chrono::seconds maxDrift{60};
    std::chrono::seconds pushInterval{60};
    std::size_t capacity = 20;  // records a lock keeps while no hub takes them
};

struct RecordsLost {
    std::int64_t count = 0;
    std::int64_t sinceLockTime = 0;  // the last record the hub had before the gap
    std::int64_t untilLockTime = 0;  // the oldest record the lock still had
};

struct ClockDrift {
    std::int64_t driftS = 0;
    bool pushed = false;  // the hub's time went to the lock
};

struct RecordTiming {
    std::optional<std::int64_t> lockTime;  // what the record shows: hub time when corrected
    bool corrected = false;
    std::optional<RecordsLost> lost;  // raise records_lost beside this record
    std::optional<ClockDrift> drift;  // raise clock_drift beside this record
};

class LockTimeline {
public:
    LockTimeline(LockTimelineOptions options, LockRegistry& registry, ports::RecordStore& records,
                 StatePublisher& state, ports::Scheduler& scheduler);
    LockTimeline(const LockTimeline&) = delete;
    LockTimeline& operator=(const LockTimeline&) = delete;

    // One report's lock time, received at `hubMs`. Not for repeats of an acknowledged report.
    RecordTiming observe(PairedLock& lock, std::optional<std::int64_t> lockTime,
                         std::int64_t hubMs);
    // The lock's last measured drift (lock minus hub, seconds), for services that depend on the
    // lock's clock (offline codes).
    std::optional<std::int64_t> drift(std::int64_t lockId) const;

private:
    struct Clock {
        std::optional<std::int64_t> drift;
        std::optional<std::int64_t> lastKnown;  // newest valid lock time the hub has
        bool lastKnownLoaded = false;
        std::int64_t readyMs = 0;               // when the current connection became ready
        std::optional<std::int64_t> reference;  // lastKnown when it did
        std::size_t replayed = 0;               // this connection's replayed records
        std::int64_t firstReplayed = 0;
        bool gapReported = false;
        std::optional<std::chrono::steady_clock::time_point> lastPush;
    };

    void connectionReady(PairedLock& lock);
    Clock& clock(const PairedLock& lock);
    std::optional<RecordsLost> replayed(Clock& clock, std::int64_t lockTime);
    std::optional<ClockDrift> measured(PairedLock& lock, Clock& clock, std::int64_t driftS);

    LockTimelineOptions options_;
    ports::RecordStore& records_;
    StatePublisher& state_;
    ports::Scheduler& scheduler_;
    std::map<std::int64_t, Clock> clocks_;  // by lock id
};

}  // namespace lockhub
