// One virtual lock, pure: its identity, firmware, RTC, radio range, the lock side of the current
// BLE connection (protocol::tuya::LockSession) and the queue of records not yet acknowledged.
//
// Records (unlocks, alarms, offline-code reports) are kept until the hub acknowledges them; with
// no paired hub (a battery lock: ever) at most `maxPendingRecords` wait, the oldest dropped and
// counted. While any wait the lock asks for a connection (wantsConnection: the advertisement's
// connect-request bit), and a battery lock ends a link idle for its PowerProfile's idleTimeout. On
// every connection they are replayed in order, each removed only by its ack; the removed ones are
// kept in ack order (ackedRecords) so tests can check that a hub stored everything a lock forgot.
// Status reports (battery, motor, command results) go out only while a hub is paired; the hub
// re-reads state with a status query.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/tuya/LockSession.h"
#include "sim/firmware/BacklogBurst.h"
#include "sim/firmware/LockFirmware.h"
#include "sim/firmware/SimLockIdentity.h"

namespace lockhub::sim {

using protocol::tuya::Now;

struct VirtualLockOptions {
    std::size_t maxPendingRecords = 20;
    protocol::tuya::Duration reportRetryInterval = std::chrono::seconds(6);
    int reportAttempts = 3;
};

struct LockRecord {
    std::uint64_t id = 0;  // 1, 2, ... per lock
    std::vector<Dp> dps;
    std::int64_t lockTime = 0;
};

struct PendingRecord : LockRecord {
    std::optional<protocol::tuya::ReportId> inFlight;  // its report in the current session
};

struct LinkOutput {
    std::vector<protocol::tuya::Bytes> packets;
    bool disconnect = false;
};

class VirtualLock {
public:
    VirtualLock(SimLockIdentity identity, protocol::tuya::RandomSource& random,
                VirtualLockOptions options = {});

    const SimLockIdentity& identity() const { return identity_; }
    bool bound() const { return bound_; }
    bool inRange() const { return inRange_; }
    void setInRange(bool inRange) { inRange_ = inRange; }

    // The RTC in Unix seconds: host UTC + the offset the hub's last time answer set + an injected
    // skew, kept in milliseconds.
    std::int64_t lockTime(protocol::tuya::UtcTime hostUtc) const;
    void setSkew(std::int64_t seconds) { skewMs_ = seconds * 1000; }
    // Sets the RTC to the middle of second `lockTime`, so it reads `lockTime` for the next 500 ms
    // (tests that step the clock then type a code see exactly the time they set).
    void setLockTime(std::int64_t lockTime, protocol::tuya::UtcTime hostUtc);

    // The link, driven by the BlueZ device.
    void linkUp(Now now);
    void linkDown();
    bool linked() const { return session_ != nullptr; }
    bool paired() const { return session_ != nullptr && session_->paired(); }
    void received(protocol::tuya::ByteView packet, Now now);
    void poll(Now now);
    std::optional<protocol::tuya::MonoTime> nextDeadline() const;
    LinkOutput takeOutput();
    // Something to report: records wait for a hub's ack.
    bool wantsConnection() const { return !pending_.empty(); }

    // Something happened at the door: `action(firmware, lockTime, out)`; its reports go out.
    template <typename Action>
    auto act(Now now, Action&& action) {
        FirmwareOutput out;
        if constexpr (std::is_void_v<decltype(action(firmware_, std::int64_t{}, out))>) {
            action(firmware_, lockTime(now.utc), out);
            deliver(std::move(out), now);
        } else {
            auto result = action(firmware_, lockTime(now.utc), out);
            deliver(std::move(out), now);
            return result;
        }
    }

    // A backlog replayed at once (see BacklogBurst); returns the records queued.
    std::vector<LockRecord> burst(std::uint32_t count, Now now);

    const LockFirmware& firmware() const { return firmware_; }
    const std::deque<PendingRecord>& pendingRecords() const { return pending_; }
    // Records removed from the queue by a hub's ack, in ack order; each appears once.
    const std::vector<LockRecord>& ackedRecords() const { return acked_; }
    // Reports of records given up after the last retry (the record stays queued for later).
    std::uint64_t abandonedReports() const { return abandoned_; }
    std::uint64_t droppedRecords() const { return dropped_; }
    std::uint64_t droppedFrames() const { return droppedFrames_; }
    std::uint64_t lastRecordId() const { return nextRecordId_ - 1; }

private:
    void deliver(FirmwareOutput out, Now now);
    void queueRecord(std::vector<Dp> dps, std::int64_t lockTime);
    void settlePending(Now now);
    void trimPending();
    void submitPending(Now now);
    void handle(protocol::tuya::LockOutput output, Now now);
    void handleEvent(const protocol::tuya::LockEvent& event, Now now);

    SimLockIdentity identity_;
    protocol::tuya::RandomSource& random_;
    VirtualLockOptions options_;
    LockFirmware firmware_;
    bool bound_ = true;
    bool inRange_ = true;
    std::int64_t rtcOffsetMs_ = 0;
    std::int64_t skewMs_ = 0;
    std::unique_ptr<protocol::tuya::LockSession> session_;
    protocol::tuya::MonoTime lastActivity_{};  // last packet in or out on the current link
    bool sleeping_ = false;                    // the idle link is being closed
    std::deque<PendingRecord> pending_;
    std::vector<LockRecord> acked_;
    BacklogBurst backlog_;
    std::uint64_t nextRecordId_ = 1;
    std::uint64_t abandoned_ = 0;
    std::uint64_t dropped_ = 0;
    std::uint64_t droppedFrames_ = 0;
    LinkOutput output_;
};

}  // namespace lockhub::sim
