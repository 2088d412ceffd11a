#include "sim/firmware/VirtualLock.h"

#include <algorithm>

namespace lockhub::sim {
namespace {

namespace tuya = protocol::tuya;

std::int64_t unixMillis(tuya::UtcTime time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

std::int64_t floorDiv(std::int64_t value, std::int64_t divisor) {
    return value / divisor - (value % divisor < 0 ? 1 : 0);
}

tuya::DeviceInfo deviceInfoFor(const SimLockIdentity& identity) {
    tuya::DeviceInfo info;
    info.firmwareVersion = {1, 0};
    info.protocolMajor = static_cast<std::uint8_t>(identity.protocol);
    info.protocolMinor = identity.protocol == tuya::ProtocolVersion::V4 ? 1 : 3;
    info.hardwareVersion = {1, 0};
    return info;
}

}  // namespace

VirtualLock::VirtualLock(SimLockIdentity identity, tuya::RandomSource& random,
                         VirtualLockOptions options)
    : identity_(std::move(identity)),
      random_(random),
      options_(options),
      firmware_(SecretString(identity_.loginKey())) {}

std::int64_t VirtualLock::lockTime(tuya::UtcTime hostUtc) const {
    return floorDiv(unixMillis(hostUtc) + rtcOffsetMs_ + skewMs_, 1000);
}

void VirtualLock::setLockTime(std::int64_t lockTime, tuya::UtcTime hostUtc) {
    skewMs_ = lockTime * 1000 + 500 - unixMillis(hostUtc) - rtcOffsetMs_;
}

void VirtualLock::linkUp(Now now) {
    lastActivity_ = now.mono;
    sleeping_ = false;
    tuya::LockSessionConfig config;
    config.identity.uuid = identity_.uuid;
    config.identity.loginKey = SecretString(identity_.loginKey());
    config.identity.deviceId = identity_.deviceId;
    config.identity.bound = bound_;
    config.identity.version = identity_.protocol;
    config.identity.deviceInfo = deviceInfoFor(identity_);
    config.reportRetryInterval = options_.reportRetryInterval;
    config.reportAttempts = options_.reportAttempts;
    session_ = std::make_unique<tuya::LockSession>(std::move(config), random_);
    for (auto& record : pending_) {
        record.inFlight.reset();
    }
}

void VirtualLock::linkDown() {
    session_.reset();
    for (auto& record : pending_) {
        record.inFlight.reset();
    }
    output_ = {};
}

void VirtualLock::received(tuya::ByteView packet, Now now) {
    if (!session_) {
        return;
    }
    lastActivity_ = now.mono;
    session_->receive(packet, now.mono);
    handle(session_->takeOutput(), now);
}

void VirtualLock::poll(Now now) {
    if (!session_) {
        return;
    }
    session_->poll(now.mono);
    handle(session_->takeOutput(), now);
    // A lock waiting for the finger or card it enrols stays awake.
    if (identity_.power.battery() && !firmware_.enrolling() &&
        now.mono >= lastActivity_ + identity_.power.idleTimeout) {
        output_.disconnect = true;  // back to sleep; BlueZ sees the lock close the link
        sleeping_ = true;
    }
}

std::optional<tuya::MonoTime> VirtualLock::nextDeadline() const {
    if (!session_ || sleeping_) {
        return std::nullopt;
    }
    auto deadline = session_->nextDeadline();
    if (identity_.power.battery() && !firmware_.enrolling()) {
        const auto idle = lastActivity_ + identity_.power.idleTimeout;
        deadline = deadline ? std::min(*deadline, idle) : idle;
    }
    return deadline;
}

LinkOutput VirtualLock::takeOutput() {
    return std::exchange(output_, {});
}

void VirtualLock::handle(tuya::LockOutput output, Now now) {
    if (!output.packets.empty()) {
        lastActivity_ = now.mono;
    }
    for (auto& packet : output.packets) {
        output_.packets.push_back(std::move(packet));
    }
    if (output.disconnect) {
        output_.disconnect = true;
    }
    for (const auto& event : output.events) {
        handleEvent(event, now);
    }
    // Events may have queued more frames (write answers, reports).
    if (session_) {
        auto more = session_->takeOutput();
        if (!more.empty()) {
            handle(std::move(more), now);
        }
    }
}

void VirtualLock::handleEvent(const tuya::LockEvent& event, Now now) {
    if (const auto* paired = std::get_if<tuya::LockPaired>(&event)) {
        if (paired->newlyBound) {
            bound_ = true;
        }
        submitPending(now);
    } else if (const auto* write = std::get_if<tuya::DpWriteReceived>(&event)) {
        FirmwareOutput out;
        const auto status = firmware_.write(write->dps, lockTime(now.utc), out);
        (void)session_->answerDpWrite(write->id, status);
        deliver(std::move(out), now);
    } else if (const auto* query = std::get_if<tuya::StatusQueried>(&event)) {
        (void)session_->report(firmware_.status(query->dpIds), std::nullopt, now.mono);
    } else if (const auto* time = std::get_if<tuya::TimeReceived>(&event)) {
        // The lock rounds to whole seconds (>= 500 ms up), and a sync replaces any drift.
        const std::int64_t seconds = (time->answer.unixMs + 500) / 1000;
        rtcOffsetMs_ = seconds * 1000 - unixMillis(now.utc);
        skewMs_ = 0;
    } else if (const auto* acked = std::get_if<tuya::ReportAcked>(&event)) {
        const auto found =
            std::find_if(pending_.begin(), pending_.end(),
                         [&](const PendingRecord& r) { return r.inFlight == acked->id; });
        if (found != pending_.end()) {
            acked_.push_back(std::move(static_cast<LockRecord&>(*found)));
            pending_.erase(found);
            if (identity_.power.battery()) {
                submitPending(now);  // the next stored record
            }
        }
    } else if (const auto* abandoned = std::get_if<tuya::ReportAbandoned>(&event)) {
        for (auto& record : pending_) {
            if (record.inFlight == abandoned->id) {
                record.inFlight.reset();  // kept for the next connection
                ++abandoned_;
            }
        }
    } else if (std::holds_alternative<tuya::UnbindRequested>(event)) {
        bound_ = false;
    } else if (std::holds_alternative<tuya::FrameDropped>(event)) {
        ++droppedFrames_;
    }
}

void VirtualLock::deliver(FirmwareOutput out, Now now) {
    if (paired()) {
        for (auto& dps : out.status) {
            (void)session_->report(std::move(dps), std::nullopt, now.mono);
        }
    }
    const auto time = lockTime(now.utc);
    for (auto& dps : out.records) {
        queueRecord(std::move(dps), time);
    }
    settlePending(now);
}

std::vector<LockRecord> VirtualLock::burst(std::uint32_t count, Now now) {
    std::vector<LockRecord> queued;
    for (auto& record : backlog_.next(count, lockTime(now.utc))) {
        queueRecord(std::move(record.dps), record.lockTime);
        queued.push_back(pending_.back());
    }
    settlePending(now);
    return queued;
}

void VirtualLock::queueRecord(std::vector<Dp> dps, std::int64_t lockTime) {
    pending_.push_back({{nextRecordId_++, std::move(dps), lockTime}, std::nullopt});
}

// Keeps the newest `maxPendingRecords` (a battery lock's memory is that small even while a hub
// is paired) and sends what waits while a hub is paired.
void VirtualLock::settlePending(Now now) {
    if (!paired() || identity_.power.battery()) {
        trimPending();
    }
    if (paired()) {
        submitPending(now);
    }
    if (session_) {
        handle(session_->takeOutput(), now);
    }
}

// The record in flight stays: its report is on the air, and its ack will come for it.
void VirtualLock::trimPending() {
    auto excess = pending_.size() > options_.maxPendingRecords
                      ? pending_.size() - options_.maxPendingRecords
                      : 0;
    for (auto it = pending_.begin(); excess > 0 && it != pending_.end();) {
        if (it->inFlight) {
            ++it;
            continue;
        }
        it = pending_.erase(it);
        ++dropped_;
        --excess;
    }
}

// A mains lock hands every waiting record to the session at once (it sends them in order, one on
// the air at a time, status reports queued in between). A battery lock uploads its stored records
// one by one, the next on the previous one's ack, so its 20-record store holds while a hub is
// paired too; the record in flight, if any, is then always the front one.
void VirtualLock::submitPending(Now now) {
    if (!paired()) {
        return;
    }
    const bool oneByOne = identity_.power.battery();
    for (auto& record : pending_) {
        if (record.inFlight) {
            if (oneByOne) {
                return;
            }
            continue;
        }
        const tuya::ReportTime time{tuya::ReportTime::Format::Seconds, record.lockTime * 1000};
        if (auto id = session_->report(record.dps, time, now.mono)) {
            record.inFlight = *id;
        }
        if (oneByOne) {
            return;
        }
    }
}

}  // namespace lockhub::sim
