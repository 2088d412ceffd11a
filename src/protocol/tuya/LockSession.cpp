#include "protocol/tuya/LockSession.h"

#include <algorithm>

#include "protocol/tuya/BigEndian.h"
#include "protocol/tuya/DpWrite.h"
#include "protocol/tuya/Pairing.h"

namespace lockhub::protocol::tuya {

namespace {

ChannelConfig lockChannelConfig(const LockSessionConfig& config) {
    return ChannelConfig{static_cast<std::uint8_t>(config.identity.version), config.mtu,
                         config.maxFrameSize, !config.identity.bound};
}

ProtocolVersion writeVersion(std::uint16_t cmd) {
    return cmd == code(Command::DpWriteV4) ? ProtocolVersion::V4 : ProtocolVersion::V3;
}

}  // namespace

LockSession::LockSession(LockSessionConfig config, RandomSource& random)
    : config_(std::move(config)),
      random_(random),
      channel_(config_.identity.loginKey.reveal(), lockChannelConfig(config_), random) {}

void LockSession::receive(ByteView packet, MonoTime now) {
    if (closed_) {
        return;
    }
    auto frame = channel_.receive(packet, now);
    if (!frame) {
        dropped(frame.error());
    } else if (*frame) {
        handleFrame(**frame, now);
    }
}

void LockSession::handleFrame(const OpenedFrame& opened, MonoTime now) {
    const Frame& frame = opened.frame;
    if (lastPeerSeq_ && frame.seq <= *lastPeerSeq_) {
        disconnect(DisconnectReason::SeqNotIncreasing);
        return;
    }
    lastPeerSeq_ = frame.seq;

    const bool handshake = frame.is(Command::DeviceInfo) || frame.is(Command::Pair);
    if (!paired_ && !handshake) {
        dropped(ProtocolError::CommandNotAllowed);
        return;
    }
    if (isReportCommand(frame.cmd)) {
        handleReportAck(frame, now);
        return;
    }
    if (isTimeRequest(frame.cmd)) {
        handleTimeAnswer(frame);
        return;
    }
    switch (static_cast<Command>(frame.cmd)) {
        case Command::DeviceInfo:
            handleDeviceInfo(opened);
            return;
        case Command::Pair:
            handlePair(opened, now);
            return;
        case Command::DpWriteV3:
        case Command::DpWriteV4:
            handleDpWrite(opened);
            return;
        case Command::StatusQuery:
            send(frame.cmd, frame.seq, encodeStatusReply(0), SecurityFlag::SessionKey);
            output_.events.emplace_back(StatusQueried{frame.data});
            return;
        case Command::Unbind:
            send(frame.cmd, frame.seq, encodeStatusReply(0), SecurityFlag::SessionKey);
            config_.identity.bound = false;
            output_.events.emplace_back(UnbindRequested{});
            disconnect(DisconnectReason::Unbound);
            return;
        default:
            dropped(ProtocolError::CommandNotAllowed);
    }
}

void LockSession::handleDeviceInfo(const OpenedFrame& opened) {
    DeviceInfo info = config_.identity.deviceInfo;
    random_.fill(info.srand);
    info.bound = config_.identity.bound;
    info.protocolMajor = static_cast<std::uint8_t>(config_.identity.version);
    // A new srand means a new session key: the hub has to pair again.
    channel_.keys().setSrand(info.srand);
    paired_ = false;
    send(opened.frame.cmd, opened.frame.seq, encodeDeviceInfo(info),
         static_cast<SecurityFlag>(opened.flag));
}

void LockSession::handlePair(const OpenedFrame& opened, MonoTime now) {
    const Frame& frame = opened.frame;
    // Pairing means agreeing on the session key, which only a DEVICE_INFO exchange creates.
    if (!channel_.keys().keyFor(static_cast<std::uint8_t>(SecurityFlag::SessionKey))) {
        dropped(ProtocolError::MissingKey);
        return;
    }
    const auto request = decodePairRequest(frame.data);
    if (!request) {
        dropped(request.error());
        return;
    }
    if (request->uuid != config_.identity.uuid) {
        send(frame.cmd, frame.seq, encodePairResult(PairResult::UuidMismatch),
             static_cast<SecurityFlag>(opened.flag));
        disconnect(DisconnectReason::PairUuidMismatch);
        return;
    }
    const bool newlyBound = !config_.identity.bound;
    if (newlyBound) {
        config_.identity.bound = true;
        config_.identity.deviceId = request->deviceId;
        channel_.keys().setAllowPlain(false);
    }
    paired_ = true;
    // From here on the lock speaks with the session key, whatever flag the request used (§1.5).
    send(frame.cmd, frame.seq,
         encodePairResult(newlyBound ? PairResult::Paired : PairResult::AlreadyBound),
         SecurityFlag::SessionKey);
    output_.events.emplace_back(LockPaired{newlyBound, request->deviceId});
    if (auto asked = requestTime(Command::TimeRequestMs); !asked) {
        dropped(asked.error());
    }
    if (!reports_.empty() && reports_.front().attempts == 0) {
        transmitHead(now);
    }
}

void LockSession::handleDpWrite(const OpenedFrame& opened) {
    const Frame& frame = opened.frame;
    const ProtocolVersion version = writeVersion(frame.cmd);
    auto write = decodeDpWrite(frame.data, version);
    if (!write) {
        // Refused at once, echoing what we could read, as the device SDK does.
        DpWriteReply reply{1, 0};
        if (version == ProtocolVersion::V4 && frame.data.size() >= 5) {
            reply.dpSn = readBe32(frame.data, 1);
        }
        send(frame.cmd, frame.seq, encodeDpWriteReply(reply, version), SecurityFlag::SessionKey);
        dropped(write.error());
        return;
    }
    pendingWrites_[frame.seq] = PendingWrite{frame.cmd, write->dpSn};
    output_.events.emplace_back(DpWriteReceived{frame.seq, std::move(write->dps)});
}

ProtocolResult<void> LockSession::answerDpWrite(WriteId id, std::uint8_t status) {
    const auto pending = pendingWrites_.find(id);
    if (pending == pendingWrites_.end() || closed_) {
        return tl::unexpected(ProtocolError::UnknownRequest);
    }
    const PendingWrite write = pending->second;
    pendingWrites_.erase(pending);
    send(write.cmd, id,
         encodeDpWriteReply(DpWriteReply{status, write.dpSn}, writeVersion(write.cmd)),
         SecurityFlag::SessionKey);
    return {};
}

ProtocolResult<ReportId> LockSession::report(std::vector<Dp> dps, std::optional<ReportTime> time,
                                             MonoTime now) {
    const ProtocolVersion version = config_.identity.version;
    DpReport report{reportCommand(version, time.has_value()), std::move(dps), time,
                    version == ProtocolVersion::V3 ? 0 : nextReportSn_};
    auto data = encodeDpReport(report);
    if (!data) {
        return tl::unexpected(data.error());
    }
    if (version != ProtocolVersion::V3) {
        ++nextReportSn_;
    }
    const ReportId id = nextReportId_++;
    reports_.push_back(QueuedReport{id, std::move(report), std::move(*data), 0, {}, MonoTime{}});
    if (paired_ && !closed_ && reports_.size() == 1) {
        transmitHead(now);
    }
    return id;
}

void LockSession::transmitHead(MonoTime now) {
    QueuedReport& head = reports_.front();
    auto seq = channel_.send(code(head.report.command), 0, head.data, SecurityFlag::SessionKey,
                             output_.packets);
    if (!seq) {
        dropped(seq.error());
    } else {
        head.seqs.insert(*seq);
    }
    ++head.attempts;
    head.deadline = now + config_.reportRetryInterval;
}

void LockSession::handleReportAck(const Frame& frame, MonoTime now) {
    if (reports_.empty() || reports_.front().attempts == 0 ||
        !reports_.front().seqs.contains(frame.ackSeq) ||
        !frame.is(reports_.front().report.command)) {
        dropped(ProtocolError::UnknownRequest);
        return;
    }
    const auto ack = decodeReportAck(frame.cmd, frame.data);
    if (!ack || ack->sn != reports_.front().report.sn) {
        dropped(ack ? ProtocolError::BadPayload : ack.error());
        return;
    }
    finishHead(true, now);
}

void LockSession::finishHead(bool acked, MonoTime now) {
    const ReportId id = reports_.front().id;
    reports_.pop_front();
    if (acked) {
        output_.events.emplace_back(ReportAcked{id});
    } else {
        abandoned_.insert(id);
        output_.events.emplace_back(ReportAbandoned{id});
    }
    if (!reports_.empty()) {
        transmitHead(now);
    }
}

void LockSession::poll(MonoTime now) {
    if (closed_ || !paired_ || reports_.empty() || reports_.front().attempts == 0 ||
        reports_.front().deadline > now) {
        return;
    }
    if (reports_.front().attempts < config_.reportAttempts) {
        transmitHead(now);
    } else {
        finishHead(false, now);
    }
}

std::optional<MonoTime> LockSession::nextDeadline() const {
    if (closed_ || !paired_ || reports_.empty() || reports_.front().attempts == 0) {
        return std::nullopt;
    }
    return reports_.front().deadline;
}

ReportState LockSession::reportState(ReportId id) const {
    if (id == 0 || id >= nextReportId_) {
        return ReportState::Unknown;
    }
    const auto queued = std::find_if(reports_.begin(), reports_.end(),
                                     [id](const QueuedReport& report) { return report.id == id; });
    if (queued != reports_.end()) {
        return queued->attempts > 0 ? ReportState::InFlight : ReportState::Queued;
    }
    return abandoned_.contains(id) ? ReportState::Abandoned : ReportState::Acknowledged;
}

void LockSession::handleTimeAnswer(const Frame& frame) {
    // ack_seq 0 is the hub setting the clock unasked (HubSession::pushTime); like the SDK, the
    // lock applies it as it applies an answer.
    if (frame.ackSeq == 0 && frame.is(Command::TimeRequestMs)) {
        if (const auto pushed = decodeTimeAnswer(Command::TimeRequestMs, frame.data)) {
            output_.events.emplace_back(TimeReceived{*pushed});
        } else {
            dropped(pushed.error());
        }
        return;
    }
    const auto pending = pendingTimeRequests_.find(frame.ackSeq);
    if (pending == pendingTimeRequests_.end() || !frame.is(pending->second)) {
        dropped(ProtocolError::UnknownRequest);
        return;
    }
    const auto answer = decodeTimeAnswer(pending->second, frame.data);
    pendingTimeRequests_.erase(pending);
    if (!answer) {
        dropped(answer.error());
        return;
    }
    output_.events.emplace_back(TimeReceived{*answer});
}

ProtocolResult<void> LockSession::requestTime(Command request) {
    if (!isTimeRequest(code(request))) {
        return tl::unexpected(ProtocolError::CommandNotAllowed);
    }
    if (!paired_ || closed_) {
        return tl::unexpected(ProtocolError::NotReady);
    }
    auto seq = channel_.send(code(request), 0, {}, SecurityFlag::SessionKey, output_.packets);
    if (!seq) {
        return tl::unexpected(seq.error());
    }
    pendingTimeRequests_[*seq] = request;
    return {};
}

LockOutput LockSession::takeOutput() {
    return std::exchange(output_, LockOutput{});
}

void LockSession::send(std::uint16_t cmd, std::uint32_t ackSeq, const Bytes& data,
                       SecurityFlag flag) {
    if (auto sent = channel_.send(cmd, ackSeq, data, flag, output_.packets); !sent) {
        dropped(sent.error());
    }
}

void LockSession::disconnect(DisconnectReason reason) {
    output_.disconnect = reason;
    closed_ = true;
}

void LockSession::dropped(ProtocolError error) {
    output_.events.emplace_back(FrameDropped{error});
}

}  // namespace lockhub::protocol::tuya
