#include "app/LockTimeline.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "app/Log.h"

namespace lockhub {
namespace {

constexpr std::string_view kTimeTag = "time";

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

}  // namespace

LockTimeline::LockTimeline(LockTimelineOptions options, LockRegistry& registry,
                           ports::RecordStore& records, StatePublisher& state,
                           ports::Scheduler& scheduler)
    : options_(options), records_(records), state_(state), scheduler_(scheduler) {
    registry.subscribe({
        .added = nullptr,
        .removing = [this](PairedLock& lock) { clocks_.erase(lock.record.id); },
        .report = nullptr,
        .ready = [this](PairedLock& lock) { connectionReady(lock); },
        .availability = nullptr,
        .linkState = nullptr,
        .seen = nullptr,
    });
}

std::optional<std::int64_t> LockTimeline::drift(std::int64_t lockId) const {
    auto found = clocks_.find(lockId);
    return found == clocks_.end() ? std::nullopt : found->second.drift;
}

LockTimeline::Clock& LockTimeline::clock(const PairedLock& lock) {
    Clock& c = clocks_[lock.record.id];
    if (!c.lastKnownLoaded) {
        // After a restart the replay continues from what the store has.
        auto last = records_.lastLockTime(lock.record.id);
        if (last) {
            c.lastKnown = *last;
            c.lastKnownLoaded = true;
        } else {
            log::warning(kTimeTag,
                         "cannot read the lock's last record time: " + last.error().message,
                         {{"LOCK", lock.record.topic}});
        }
    }
    return c;
}

void LockTimeline::connectionReady(PairedLock& lock) {
    Clock& c = clock(lock);
    c.readyMs = scheduler_.unixMillis();
    c.reference = c.lastKnown;
    c.replayed = 0;
    c.firstReplayed = 0;
    c.gapReported = false;
}

RecordTiming LockTimeline::observe(PairedLock& lock, std::optional<std::int64_t> lockTime,
                                   std::int64_t hubMs) {
    RecordTiming timing{lockTime, false, std::nullopt, std::nullopt};
    if (!lockTime) {
        return timing;
    }
    Clock& c = clock(lock);
    const std::int64_t lockMs = *lockTime * 1000;
    const auto maxFutureMs =
        std::chrono::duration_cast<std::chrono::milliseconds>(options_.maxFuture).count();
    timing.corrected = *lockTime < options_.earliestValid || lockMs > hubMs + maxFutureMs;
    if (timing.corrected) {
        timing.lockTime = floorDiv(hubMs, 1000);
    }
    // Live: not older than this connection, in the lock's clock as far as the hub knows it.
    const std::int64_t knownDriftMs = c.drift.value_or(0) * 1000;
    const bool live = c.readyMs != 0 && lockMs - knownDriftMs >= c.readyMs - 1000;
    if (live) {
        // Whole seconds: the lock's time has no more, so ±1 s is the measurement's own noise.
        timing.drift = measured(lock, c, *lockTime - floorDiv(hubMs, 1000));
    } else if (!timing.corrected) {
        timing.lost = replayed(c, *lockTime);
    }
    if (!timing.corrected && (!c.lastKnown || *lockTime > *c.lastKnown)) {
        c.lastKnown = *lockTime;
    }
    return timing;
}

std::optional<RecordsLost> LockTimeline::replayed(Clock& c, std::int64_t lockTime) {
    if (c.reference && lockTime <= *c.reference) {
        return std::nullopt;  // the hub had it (or older) already
    }
    if (c.replayed++ == 0) {
        c.firstReplayed = lockTime;
    }
    if (c.gapReported || c.replayed < options_.capacity || !c.reference) {
        return std::nullopt;
    }
    c.gapReported = true;
    const std::int64_t gap = c.firstReplayed - *c.reference;
    const std::int64_t span = lockTime - c.firstReplayed;
    std::int64_t count = 1;  // all in one second: something may be missing, how much is unknown
    if (span > 0) {
        const double spacing = static_cast<double>(span) / static_cast<double>(c.replayed - 1);
        count = std::llround(static_cast<double>(gap) / spacing) - 1;
        if (count < 1) {
            return std::nullopt;  // the oldest replayed record follows on at the usual spacing
        }
    }
    return RecordsLost{count, *c.reference, c.firstReplayed};
}

std::optional<ClockDrift> LockTimeline::measured(PairedLock& lock, Clock& c, std::int64_t driftS) {
    c.drift = driftS;
    state_.setRtcDrift(lock, driftS);
    if (std::llabs(driftS) <= options_.maxDrift.count()) {
        return std::nullopt;
    }
    const auto now = scheduler_.now();
    if (c.lastPush && now - *c.lastPush < options_.pushInterval) {
        return std::nullopt;  // pushed a moment ago: the next live record shows whether it took
    }
    c.lastPush = now;
    const bool pushed = lock.link->pushTime();
    log::warning(kTimeTag,
                 "the lock's clock is " + std::to_string(driftS) + " s off the hub's" +
                     (pushed ? "; sent it the hub's time" : "; cannot send the time now"),
                 {{"LOCK", lock.record.topic}});
    if (pushed) {
        // The lock runs on the hub's time from here on.
        c.drift = 0;
    }
    return ClockDrift{driftS, pushed};
}

}  // namespace lockhub
