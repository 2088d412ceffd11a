// `lock/diagnose` (issue 12 §7, FAQ 4.1 "why does a code not open the door"): the checklist
// answered from what the hub has seen of one lock since it started — the lock's clock against the
// hub's, whether T0 is known, the last refused credentials, the link's quality (RSSI, connection
// success rate, mean time to a ready link), records lost, battery, firmware and protocol version —
// each item with a plain-language verdict. It only counts and reads; it changes nothing. Records
// lost come from the stored `records_lost` events, so they outlive a restart.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

#include "app/AlarmTracker.h"
#include "app/BridgeService.h"
#include "app/EventObserver.h"
#include "app/StatePublisher.h"
#include "ports/RecordStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

class LockDiagnostics final : public EventObserver {
public:
    static constexpr int kDriftOkS = 60;          // the hub pushes the time beyond this (issue 12)
    static constexpr int kWeakRssi = -85;         // dBm
    static constexpr double kReliableRate = 0.8;  // connection attempts that reach a ready link
    static constexpr std::size_t kFailuresKept = 5;
    static constexpr std::size_t kDriftSamples = 8;

    LockDiagnostics(LockRegistry& registry, ports::RecordStore& records,
                    const StatePublisher& state, const AlarmTracker& alarms,
                    ports::Scheduler& scheduler, BridgeService& bridge);

    void annotate(PairedLock& lock, const domain::DpRecord& record, const domain::LockEvent& event,
                  EventNote& note) override;
    void reported(PairedLock& lock, std::span<const domain::StateUpdate> updates,
                  std::optional<std::int64_t> lockTime) override;

    // A code the hub itself refused (`code/verify`, a remote unlock with a code), with the
    // reason, which the lock's own refusals never carry.
    void codeRefused(std::int64_t lockId, std::string_view source, const Error& why);

    Result<nlohmann::json> diagnose(const nlohmann::json& body) const;

private:
    struct Failure {
        std::string method;
        std::int64_t hubMs = 0;
        std::optional<EventUser> user;
        // Set only when the hub refused it: where it was presented, the error code, its message.
        std::optional<std::string> source;
        std::optional<Errc> reason;
        std::string detail;
    };
    void remember(std::int64_t lockId, Failure failure);
    struct Facts {
        std::deque<std::int64_t> driftS;  // lock time - hub time of the latest timed reports
        std::deque<Failure> failures;     // newest last
        std::optional<int> rssi;
        int attempts = 0;
        int connects = 0;
        std::chrono::milliseconds connectTotal{0};
        std::optional<std::chrono::steady_clock::time_point> attemptStarted;
    };

    void linkState(const PairedLock& lock, LinkState state);
    nlohmann::json describe(const PairedLock& lock, const Facts& facts,
                            const ports::LostRecords& lost) const;

    LockRegistry& registry_;
    ports::RecordStore& records_;
    const StatePublisher& state_;
    const AlarmTracker& alarms_;
    ports::Scheduler& scheduler_;
    std::map<std::int64_t, Facts> facts_;  // by lock id
};

}  // namespace lockhub
