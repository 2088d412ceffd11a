// The hub's (central's) side of one BLE connection to a lock, sans I/O (§1.9, §1.13-§1.15).
//
// Feed it every notified GATT packet with receive(), call poll() when nextDeadline() passes, and
// after every call write takeOutput().packets to the lock in order, hand the events to the link
// manager, and disconnect if asked. One HubSession per connection: seq restarts at 1.
//
// Handshake: start() sends DEVICE_INFO (flag 4); its reply yields srand and the session key;
// PAIR (flag 5) follows; PAIR result 0 or 2 gives HandshakeDone and state Ready. Time requests
// are answered by the session itself. Reports are NOT acknowledged by the session: the lock
// deletes an acknowledged record from its buffer, so the caller acknowledges a report
// (acknowledge(token)) only once it is durably stored, or releases it (release(token)) when it
// could not be stored, so that the lock keeps it and sends it again (design §3, §5).
// Retransmissions (same content as the report before, which is all the lock can repeat because it
// holds later reports back until the head is acked): while the caller has not decided yet they are
// absorbed (the eventual ack answers the newest copy); after a release they are surfaced afresh as
// a new report; after an acknowledgement they are acked again and surfaced as ReportRepeated. A v3
// report carries no serial number, so a new report with the same content as the one before (the
// same command reply twice) cannot be told from a retransmission: the caller applies its state and
// replies but must not record its events twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <variant>

#include "domain/Secret.h"
#include "protocol/tuya/Channel.h"
#include "protocol/tuya/Command.h"
#include "protocol/tuya/DeviceInfo.h"
#include "protocol/tuya/Dp.h"
#include "protocol/tuya/DpReport.h"
#include "protocol/tuya/Pairing.h"
#include "protocol/tuya/ProtocolVersion.h"
#include "protocol/tuya/RandomSource.h"
#include "protocol/tuya/SessionOutput.h"
#include "protocol/tuya/Time.h"
#include "protocol/tuya/TimeSync.h"

namespace lockhub::protocol::tuya {

struct HubSessionConfig {
    std::string uuid;       // the lock's 16-character device UUID
    SecretString loginKey;  // local_key[:6]
    std::string deviceId;   // cloud virtual id, up to 22 characters
    ProtocolVersion version = ProtocolVersion::V3;
    std::size_t mtu = kDefaultMtu;
    std::size_t maxFrameSize = kDefaultMaxFrameSize;
    Duration requestTimeout = std::chrono::seconds(20);
    std::int16_t timeZone = 0;  // zone field of time answers, hundredths of an hour (UTC = 0)
};

using RequestId = std::uint32_t;  // the seq of the request frame

struct HandshakeDone {
    DeviceInfo device;
    PairResult pairResult;  // Paired or AlreadyBound
};

struct CommandDone {
    RequestId id;
    Command command;      // DpWriteV3, DpWriteV4, StatusQuery or Unbind
    std::uint8_t status;  // 0 = accepted
};

struct CommandTimedOut {
    RequestId id;
    Command command;
};

// Names one surfaced report until the caller acknowledges or releases it; 0 for a report that
// asked for no acknowledgement (flag bit 7), which needs neither call.
using ReportToken = std::uint32_t;

struct ReportReceived {
    ReportToken token;
    DpReport report;
};

// A report identical to the last one, which was already acknowledged (see above).
struct ReportRepeated {
    DpReport report;
};

struct TimeAnswered {
    Command request;  // TimeRequestMs or TimeRequestDate
    TimeAnswer answer;
};

using HubEvent = std::variant<HandshakeDone, CommandDone, CommandTimedOut, ReportReceived,
                              ReportRepeated, TimeAnswered, FrameDropped>;
using HubOutput = SessionOutput<HubEvent>;

enum class HubState { Idle, AwaitingDeviceInfo, AwaitingPair, Ready, Closed };

class HubSession {
public:
    HubSession(HubSessionConfig config, RandomSource& random);

    // Sends DEVICE_INFO. Call once, right after notifications are enabled.
    void start(Now now);
    // One notified GATT packet.
    void receive(ByteView packet, Now now);
    // Expires pending requests whose deadline passed (CommandTimedOut; a handshake timeout also
    // asks to disconnect).
    void poll(Now now);
    std::optional<MonoTime> nextDeadline() const;

    // Commands, valid in Ready (NotReady otherwise). The reply arrives as CommandDone with the
    // returned id, or CommandTimedOut. writeDps uses 0x0002 for v3 and 0x0027 (with a fresh dp_sn)
    // for v4; for v4 the status only says the lock accepted the frame: the business result comes
    // later as a report (§1.12).
    ProtocolResult<RequestId> writeDps(std::span<const Dp> dps, Now now);
    ProtocolResult<RequestId> queryStatus(Now now);
    ProtocolResult<RequestId> unbind(Now now);
    // Sets the lock's clock without being asked: a 0x8011 answer with ack_seq 0. The SDK applies
    // a time answer whenever one arrives (tuya_ble_handle_unix_time_char_ms_resp keeps no record
    // of its requests), so this is how a drifting clock is corrected mid-connection. Ready only.
    ProtocolResult<TimeAnswer> pushTime(Now now);

    // Sends the acknowledgement of a surfaced report (no-op for 0, an unknown or an already
    // decided token). Call only once the report is durably stored.
    void acknowledge(ReportToken token);
    // The report could not be stored: no acknowledgement is sent, and the lock's retransmission
    // is surfaced again as a new report.
    void release(ReportToken token);

    HubOutput takeOutput();
    HubState state() const { return state_; }
    ProtocolVersion version() const { return config_.version; }

private:
    struct Pending {
        Command command;
        MonoTime deadline;
    };

    ProtocolResult<RequestId> sendRequest(Command command, const Bytes& data, SecurityFlag flag,
                                          Now now);
    void send(std::uint16_t cmd, std::uint32_t ackSeq, const Bytes& data, SecurityFlag flag);
    void handleFrame(const OpenedFrame& opened, Now now);
    void handleReply(const Frame& frame, Pending pending, Now now);
    void handleDeviceInfo(const Frame& frame, Now now);
    void handlePairResult(const Frame& frame);
    void handleReport(const OpenedFrame& opened);
    void handleTimeRequest(const OpenedFrame& opened, Now now);
    void fail(DisconnectReason reason);

    HubSessionConfig config_;
    Channel channel_;
    HubState state_ = HubState::Idle;
    std::optional<DeviceInfo> device_;
    std::map<RequestId, Pending> pending_;
    std::optional<std::uint32_t> lastPeerSeq_;
    // The last report surfaced, to recognise the lock's retransmissions of it.
    struct LastReport {
        std::uint16_t cmd;
        Bytes data;
        ReportToken token;  // 0 once decided
        std::uint32_t seq;  // of the newest copy: the one the acknowledgement answers
        std::uint8_t flag;  // security flag the copy came with
        Bytes ack;          // the acknowledgement's data
        bool acknowledged = false;
    };
    std::optional<LastReport> lastReport_;
    ReportToken nextToken_ = 1;
    std::uint32_t nextDpSn_ = 1;
    HubOutput output_;
};

}  // namespace lockhub::protocol::tuya
