// Alarms as levels as well as edges (issue 12 §4, FAQ 6.1): every DP 21 alarm, and `low_battery`
// from the battery DPs, keeps a retained `<base>/<lock>/alarm/<name>` state
// {"active", "since", "count"} that the lock raises and a clear rule lowers: the lock's own
// report where it sends one (door closed, bolt moved, battery back above the threshold), else a
// timeout per alarm type (clearRule). The `alarm` event stays the edge; repeats of an alarm
// within the merge window of the one before are stored as records but not published one by one:
// when the burst ends, one `alarm` event with the burst's `count` follows the first. `pry` and
// `unclosed_time` are never held back (each is published at once, with the count so far), and
// wrong-credential alarms stay one `wrong_code` event per attempt (lockouts count them).
// Active states survive a restart through the broker: at start the tracker reads its own
// retained states back and re-arms their timeouts from `since`.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "app/BridgeService.h"
#include "app/EventObserver.h"
#include "app/OutboxPump.h"
#include "ports/Broker.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct AlarmTrackerOptions {
    std::string baseTopic = "lockhub";
    std::string hubId;  // part of the event ids the tracker raises
    std::chrono::seconds mergeWindow{10};
};

// How an alarm's state goes back to inactive.
struct AlarmClearRule {
    // After this long without a repeat; absent: only by the lock's report.
    std::optional<std::chrono::seconds> timeout;
    bool doorClosed = false;   // DP door reports closed
    bool boltLocked = false;   // the motor reports locked
    bool boltMoved = false;    // the motor reports locked or unlocked
    bool batteryOk = false;    // the battery is back above the profile's threshold
    bool mergeRepeats = true;  // false: every occurrence is its own event
};
AlarmClearRule clearRule(domain::AlarmKind alarm);

class AlarmTracker final : public EventObserver {
public:
    AlarmTracker(AlarmTrackerOptions options, LockRegistry& registry, ports::Broker& broker,
                 ports::Scheduler& scheduler, OutboxPump& outbox, BridgeService& bridge);
    ~AlarmTracker() override;
    AlarmTracker(const AlarmTracker&) = delete;
    AlarmTracker& operator=(const AlarmTracker&) = delete;

    void annotate(PairedLock& lock, const domain::DpRecord& record, const domain::LockEvent& event,
                  EventNote& note) override;
    void reported(PairedLock& lock, std::span<const domain::StateUpdate> updates,
                  std::optional<std::int64_t> lockTime) override;

    // The active alarms of a lock, by name (diagnostics).
    std::vector<std::string> active(const PairedLock& lock) const;

private:
    using Key = std::pair<std::int64_t, domain::AlarmKind>;  // lock id, alarm
    struct State {
        bool active = false;
        std::int64_t sinceMs = 0;
        int count = 0;
        ports::Scheduler::TimerId clearTimer = 0;
    };
    struct Burst {
        int total = 0;   // occurrences, the first included
        int merged = 0;  // of those, not published on their own
        domain::LockEvent last;
        std::int64_t lastMs = 0;
        ports::Scheduler::TimerId timer = 0;
    };

    void raise(PairedLock& lock, domain::AlarmKind alarm, std::int64_t atMs);
    void clear(std::int64_t lockId, domain::AlarmKind alarm, const char* why);
    void armClear(std::int64_t lockId, domain::AlarmKind alarm, std::chrono::milliseconds after);
    void burstOver(const Key& key);
    void batteryReported(PairedLock& lock, const domain::StateUpdate& update,
                         std::optional<std::int64_t> lockTime);
    void publishState(const PairedLock& lock, domain::AlarmKind alarm, const State& state);
    void publishEvent(const PairedLock& lock, const domain::LockEvent& event,
                      std::string_view derived, int count, std::int64_t atMs);
    bool adoptRetained(const std::string& topic, const std::string& payload);
    std::string topicOf(const PairedLock& lock, domain::AlarmKind alarm) const;

    AlarmTrackerOptions options_;
    LockRegistry& registry_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    OutboxPump& outbox_;
    std::map<Key, State> states_;
    std::map<Key, Burst> bursts_;
    std::map<std::int64_t, int> batteryPercent_;  // by lock id, the last reported
    std::uint64_t sequence_ = 0;
};

}  // namespace lockhub
