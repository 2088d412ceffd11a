// The lock's (peripheral's) side of one BLE connection, sans I/O, for the simulator (§1.7, §1.9,
// §1.12-§1.14). The firmware model owns the lock's state; this class owns the wire.
//
// Feed it every GATT write from the hub with receive(), call poll() when nextDeadline() passes,
// and after every call notify takeOutput().packets in order, apply the events, and disconnect if
// asked. One LockSession per connection.
//
// Rules it enforces, as Tuya's device SDK does: only DEVICE_INFO and PAIR before pairing (others
// are dropped with FrameDropped{CommandNotAllowed}); a seq that does not increase asks to
// disconnect; flag-0 frames are dropped once bound; PAIR answers 0 (binds), 1 (UUID mismatch, then
// disconnect) or 2 (already bound); after pairing it sends the 0x8011 time request.
//
// Reports: report() queues; only the head is in flight; it is retransmitted (fresh seq, same
// content) every reportRetryInterval until acked, reportAttempts sends in all, then abandoned
// (ReportAbandoned) and the next one goes. Reports queued before pairing wait for it.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "domain/Secret.h"
#include "protocol/tuya/Channel.h"
#include "protocol/tuya/Command.h"
#include "protocol/tuya/DeviceInfo.h"
#include "protocol/tuya/Dp.h"
#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/ProtocolVersion.h"
#include "protocol/tuya/RandomSource.h"
#include "protocol/tuya/SessionOutput.h"
#include "protocol/tuya/Time.h"
#include "protocol/tuya/TimeSync.h"

namespace lockhub::protocol::tuya {

struct LockIdentity {
    std::string uuid;       // 16 ASCII characters
    SecretString loginKey;  // 6 ASCII characters = local_key[:6]
    std::string deviceId;   // virtual id, up to 22 ASCII characters
    bool bound = true;
    ProtocolVersion version = ProtocolVersion::V3;
    // Reported in DEVICE_INFO. The session fills in srand (fresh per request), bound and
    // protocolMajor; everything else is sent as given.
    DeviceInfo deviceInfo;
};

struct LockSessionConfig {
    LockIdentity identity;
    std::size_t mtu = kDefaultMtu;
    std::size_t maxFrameSize = kDefaultMaxFrameSize;
    Duration reportRetryInterval = std::chrono::seconds(6);
    int reportAttempts = 3;
};

using WriteId = std::uint32_t;   // the seq of the hub's DP write frame
using ReportId = std::uint64_t;  // 1, 2, ... per session, in report() order

struct LockPaired {
    bool newlyBound;       // true when this PAIR bound an unbound lock (persist it)
    std::string deviceId;  // the virtual id the hub sent
};

struct DpWriteReceived {
    WriteId id;  // answer with answerDpWrite(id, status)
    std::vector<Dp> dps;
};

// 0x0003: the session already replied; the firmware should re-report the DPs (all if empty).
struct StatusQueried {
    std::vector<std::uint8_t> dpIds;
};

// The hub's answer to our time request, for the lock's RTC.
struct TimeReceived {
    TimeAnswer answer;
};

struct ReportAcked {
    ReportId id;
};

struct ReportAbandoned {
    ReportId id;
};

// 0x0005: the session replied and now asks to disconnect; the lock is no longer bound.
struct UnbindRequested {};

using LockEvent = std::variant<LockPaired, DpWriteReceived, StatusQueried, TimeReceived,
                               ReportAcked, ReportAbandoned, UnbindRequested, FrameDropped>;
using LockOutput = SessionOutput<LockEvent>;

enum class ReportState { Queued, InFlight, Acknowledged, Abandoned, Unknown };

class LockSession {
public:
    LockSession(LockSessionConfig config, RandomSource& random);

    // One GATT write from the hub.
    void receive(ByteView packet, MonoTime now);
    // Retransmits or abandons the in-flight report when its deadline passed.
    void poll(MonoTime now);
    std::optional<MonoTime> nextDeadline() const;

    // The firmware's answer to a DpWriteReceived (0 = accepted). UnknownRequest for an id that
    // is not waiting for an answer.
    ProtocolResult<void> answerDpWrite(WriteId id, std::uint8_t status);

    // Queues a report: 0x8001/0x8006 without a time, 0x8003/0x8007 with one (by version).
    // DP encode errors are returned at once.
    ProtocolResult<ReportId> report(std::vector<Dp> dps, std::optional<ReportTime> time,
                                    MonoTime now);
    ReportState reportState(ReportId id) const;
    bool isAcknowledged(ReportId id) const { return reportState(id) == ReportState::Acknowledged; }

    // Asks the hub for the time (0x8011 or 0x8012); pairing already does this once.
    ProtocolResult<void> requestTime(Command request);

    LockOutput takeOutput();
    bool paired() const { return paired_; }
    bool bound() const { return config_.identity.bound; }

private:
    struct QueuedReport {
        ReportId id;
        DpReport report;
        Bytes data;
        int attempts = 0;
        std::set<std::uint32_t> seqs;  // every transmission's seq; a late ack of any one counts
        MonoTime deadline{};
    };

    struct PendingWrite {
        std::uint16_t cmd;
        std::uint32_t dpSn;
    };

    void handleFrame(const OpenedFrame& opened, MonoTime now);
    void handleDeviceInfo(const OpenedFrame& opened);
    void handlePair(const OpenedFrame& opened, MonoTime now);
    void handleDpWrite(const OpenedFrame& opened);
    void handleReportAck(const Frame& frame, MonoTime now);
    void handleTimeAnswer(const Frame& frame);
    void send(std::uint16_t cmd, std::uint32_t ackSeq, const Bytes& data, SecurityFlag flag);
    void transmitHead(MonoTime now);
    void finishHead(bool acked, MonoTime now);
    void disconnect(DisconnectReason reason);
    void dropped(ProtocolError error);

    LockSessionConfig config_;
    RandomSource& random_;
    Channel channel_;
    bool paired_ = false;
    bool closed_ = false;
    std::optional<std::uint32_t> lastPeerSeq_;
    std::map<WriteId, PendingWrite> pendingWrites_;
    std::map<std::uint32_t, Command> pendingTimeRequests_;  // our seq -> request cmd
    std::deque<QueuedReport> reports_;
    std::set<ReportId> abandoned_;
    ReportId nextReportId_ = 1;
    std::uint32_t nextReportSn_ = 1;
    LockOutput output_;
};

}  // namespace lockhub::protocol::tuya
