// Each lock's retained `<lock>/state` and `<lock>/availability` (design §4), coalesced: one state
// message per lock report or per settled link transition that changes something, never one per
// DP, and never a copy of the previous message (only `state_age_s` may move on, at most every
// 60 s). Link transitions settle for a moment first, so connect → handshake → ready is one
// message, not three.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "app/LockMessages.h"
#include "app/LockRegistry.h"
#include "domain/lock/LockSnapshot.h"
#include "ports/Broker.h"
#include "ports/Scheduler.h"

namespace lockhub {

// What the bridge API shows of a lock next to its stored record (lock/list, lock/pair).
struct LockStatusView {
    domain::LockSnapshot snapshot;
    std::string link = "idle";
    std::optional<bool> available;
};

class StatePublisher {
public:
    static constexpr auto kLinkSettle = std::chrono::milliseconds(100);
    static constexpr auto kAgeRefresh = std::chrono::seconds(60);

    StatePublisher(std::string baseTopic, ports::Broker& broker, ports::Scheduler& scheduler,
                   LockRegistry& registry);
    ~StatePublisher();
    StatePublisher(const StatePublisher&) = delete;
    StatePublisher& operator=(const StatePublisher&) = delete;

    // Every state update of one report, applied together: at most one message.
    void reportReceived(PairedLock& lock, std::span<const domain::StateUpdate> updates);
    // The lock's measured RTC drift (LockTimeline), published with the report that revealed it.
    void setRtcDrift(const PairedLock& lock, std::int64_t seconds) {
        entry(lock).link.rtcDriftS = seconds;
    }
    // Retained availability and state of every lock again (after a broker reconnect).
    void publishAll();
    LockStatusView status(const PairedLock& lock) const;

private:
    struct Entry {
        domain::LockSnapshot snapshot;
        LinkStatus link;
        std::optional<bool> online;
        std::string lastContent;  // the last payload without state_age_s
        std::optional<std::chrono::steady_clock::time_point> lastPublished;
        ports::Scheduler::TimerId settleTimer = 0;
    };

    Entry& entry(const PairedLock& lock);
    void publishState(const PairedLock& lock, Entry& entry, bool force);
    void settleLater(const PairedLock& lock, Entry& entry);
    std::string topicOf(const PairedLock& lock, const std::string& leaf) const;

    std::string base_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    LockRegistry& registry_;
    std::map<std::int64_t, Entry> entries_;  // by lock id
};

}  // namespace lockhub
