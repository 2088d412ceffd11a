// A BleCentral with locks in memory: each "connection" runs the protocol library's LockSession,
// so LockLink is tested against the real lock side of the Tuya protocol without D-Bus. Packets
// travel through the scheduler with zero delay, as notifications do through the event loop.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ports/BleCentral.h"
#include "protocol/tuya/LockSession.h"
#include "tests/fakes/ManualScheduler.h"

namespace lockhub::fakes {

class CountingRandom final : public protocol::tuya::RandomSource {
public:
    void fill(std::span<std::uint8_t> out) override {
        for (auto& b : out) {
            b = static_cast<std::uint8_t>(counter_++ * 37 + 11);
        }
    }

private:
    std::uint32_t counter_ = 0;
};

class FakeLockRadio final : public ports::BleCentral {
public:
    struct Lock {
        protocol::tuya::LockIdentity identity;
        bool inRange = true;
        std::uint8_t writeStatus = 0;  // the firmware's answer to every DP write
        std::unique_ptr<protocol::tuya::LockSession> session;
        std::vector<std::vector<protocol::tuya::Dp>> writes;
        int statusQueries = 0;
        // Time answers and pushes the lock applied (Unix ms), in order.
        std::vector<std::int64_t> timesReceived;
        int connections = 0;
        bool connected = false;
        // The lock side's own timer (retransmissions of unacknowledged reports).
        ports::Scheduler::TimerId pollTimer = 0;
    };

    explicit FakeLockRadio(ManualScheduler& scheduler) : scheduler_(scheduler) {}

    Lock& addLock(const std::string& mac, protocol::tuya::LockIdentity identity);
    Lock& lock(const std::string& mac) { return *locks_.at(mac); }
    // The lock sends a report on the open connection (a record when `time` is given).
    protocol::tuya::ReportId report(const std::string& mac, std::vector<protocol::tuya::Dp> dps,
                                    std::optional<protocol::tuya::ReportTime> time = std::nullopt);
    // The device is seen by a scan: a bound v3 lock's advertisement with the encrypted UUID of
    // the lock at `mac` (if any), asking for a connection when `connectRequest` is set.
    void advertise(const std::string& mac, bool connectRequest = false);
    // The lock changes its address (a new random static MAC): connections go to `to` from now.
    void moveLock(const std::string& from, const std::string& to);
    // The lock vanishes mid-connection (out of range): the hub sees the link drop.
    void dropLink(const std::string& mac);

    void setHandlers(Handlers handlers) override { handlers_ = std::move(handlers); }
    void start() override {}
    bool available() const override { return true; }
    void startDiscovery() override { ++discovering; }
    void stopDiscovery() override { --discovering; }
    std::vector<ports::Advertisement> knownDevices() const override { return known_; }
    void connect(const std::string& mac, std::chrono::milliseconds timeout,
                 ConnectDone done) override;

    int connectAttempts = 0;
    int discovering = 0;  // startDiscovery() minus stopDiscovery() calls

private:
    class Link;
    void pump(const std::string& mac);
    void schedulePoll(const std::string& mac);

    ManualScheduler& scheduler_;
    CountingRandom random_;
    Handlers handlers_;
    std::map<std::string, std::unique_ptr<Lock>> locks_;
    std::vector<ports::Advertisement> known_;
};

}  // namespace lockhub::fakes
