#include "protocol/tuya/HubSession.h"

#include <algorithm>

#include "protocol/tuya/DpWrite.h"

namespace lockhub::protocol::tuya {

namespace {

ChannelConfig hubChannelConfig(const HubSessionConfig& config) {
    return ChannelConfig{static_cast<std::uint8_t>(config.version), config.mtu, config.maxFrameSize,
                         false};
}

}  // namespace

HubSession::HubSession(HubSessionConfig config, RandomSource& random)
    : config_(std::move(config)),
      channel_(config_.loginKey.reveal(), hubChannelConfig(config_), random) {}

void HubSession::start(Now now) {
    if (state_ != HubState::Idle) {
        return;
    }
    if (sendRequest(Command::DeviceInfo, {}, SecurityFlag::LoginKey, now)) {
        state_ = HubState::AwaitingDeviceInfo;
    }
}

void HubSession::receive(ByteView packet, Now now) {
    if (state_ == HubState::Closed) {
        return;
    }
    auto frame = channel_.receive(packet, now.mono);
    if (!frame) {
        output_.events.emplace_back(FrameDropped{frame.error()});
    } else if (*frame) {
        handleFrame(**frame, now);
    }
}

void HubSession::handleFrame(const OpenedFrame& opened, Now now) {
    const Frame& frame = opened.frame;
    // The lock numbers its frames strictly upwards (a retransmitted report gets a new seq), so an
    // old seq is a copy the link delivered twice.
    if (lastPeerSeq_ && frame.seq <= *lastPeerSeq_) {
        output_.events.emplace_back(FrameDropped{ProtocolError::SeqNotIncreasing});
        return;
    }
    lastPeerSeq_ = frame.seq;

    if (const auto pending = pending_.find(frame.ackSeq);
        frame.ackSeq != 0 && pending != pending_.end() && frame.is(pending->second.command)) {
        handleReply(frame, pending->second, now);
    } else if (isReportCommand(frame.cmd)) {
        handleReport(opened);
    } else if (isTimeRequest(frame.cmd)) {
        handleTimeRequest(opened, now);
    } else {
        output_.events.emplace_back(FrameDropped{ProtocolError::UnknownRequest});
    }
}

void HubSession::handleReply(const Frame& frame, Pending pending, Now now) {
    const RequestId id = frame.ackSeq;
    switch (pending.command) {
        case Command::DeviceInfo:
            pending_.erase(id);
            handleDeviceInfo(frame, now);
            return;
        case Command::Pair:
            pending_.erase(id);
            handlePairResult(frame);
            return;
        default:
            break;
    }
    const auto status =
        pending.command == Command::DpWriteV4
            ? decodeDpWriteReply(frame.data, ProtocolVersion::V4).map([](DpWriteReply reply) {
                  return reply.status;
              })
            : decodeStatusReply(frame.data);
    if (!status) {
        // Left pending: a garbled reply is no answer, so the caller sees a timeout.
        output_.events.emplace_back(FrameDropped{status.error()});
        return;
    }
    pending_.erase(id);
    output_.events.emplace_back(CommandDone{id, pending.command, *status});
}

void HubSession::handleDeviceInfo(const Frame& frame, Now now) {
    auto info = decodeDeviceInfo(frame.data);
    if (!info) {
        output_.events.emplace_back(FrameDropped{info.error()});
        fail(DisconnectReason::HandshakeFailed);
        return;
    }
    channel_.keys().setSrand(info->srand);
    device_ = std::move(*info);
    const auto pair =
        encodePairRequest(PairRequest{config_.uuid, config_.loginKey, config_.deviceId});
    if (!pair || !sendRequest(Command::Pair, *pair, SecurityFlag::SessionKey, now)) {
        fail(DisconnectReason::HandshakeFailed);
        return;
    }
    state_ = HubState::AwaitingPair;
}

void HubSession::handlePairResult(const Frame& frame) {
    const auto result = decodePairResult(frame.data);
    if (!result) {
        output_.events.emplace_back(FrameDropped{result.error()});
        fail(DisconnectReason::HandshakeFailed);
    } else if (*result == PairResult::UuidMismatch) {
        fail(DisconnectReason::PairUuidMismatch);
    } else {
        state_ = HubState::Ready;
        output_.events.emplace_back(HandshakeDone{*device_, *result});
    }
}

void HubSession::handleReport(const OpenedFrame& opened) {
    const Frame& frame = opened.frame;
    auto report = decodeDpReport(frame.cmd, frame.data);
    if (!report) {
        // Not acked: the lock retries, and a report we cannot read is not one we may confirm.
        output_.events.emplace_back(FrameDropped{report.error()});
        return;
    }
    constexpr std::uint8_t kNoAckWanted = 0x80;
    const bool wantsAck = (report->flags & kNoAckWanted) == 0;
    if (lastReport_ && lastReport_->cmd == frame.cmd && lastReport_->data == frame.data) {
        // A retransmission: the lock did not see an acknowledgement yet.
        lastReport_->seq = frame.seq;
        lastReport_->flag = opened.flag;
        if (lastReport_->acknowledged) {
            if (wantsAck) {
                send(frame.cmd, frame.seq, lastReport_->ack,
                     static_cast<SecurityFlag>(opened.flag));
            }
            output_.events.emplace_back(ReportRepeated{std::move(*report)});
            return;
        }
        if (lastReport_->token != 0) {
            return;  // still waiting for the caller's decision
        }
    }
    const ReportToken token = wantsAck ? nextToken_++ : 0;
    lastReport_ = LastReport{
        frame.cmd, frame.data, token, frame.seq, opened.flag, encodeReportAck(*report), !wantsAck};
    output_.events.emplace_back(ReportReceived{token, std::move(*report)});
}

void HubSession::acknowledge(ReportToken token) {
    if (token == 0 || !lastReport_ || lastReport_->token != token || state_ == HubState::Closed) {
        return;
    }
    lastReport_->token = 0;
    lastReport_->acknowledged = true;
    send(lastReport_->cmd, lastReport_->seq, lastReport_->ack,
         static_cast<SecurityFlag>(lastReport_->flag));
}

void HubSession::release(ReportToken token) {
    if (token != 0 && lastReport_ && lastReport_->token == token) {
        lastReport_.reset();
    }
}

void HubSession::handleTimeRequest(const OpenedFrame& opened, Now now) {
    const auto request = static_cast<Command>(opened.frame.cmd);
    const TimeAnswer answer{
        std::chrono::duration_cast<std::chrono::milliseconds>(now.utc.time_since_epoch()).count(),
        config_.timeZone};
    const auto data = encodeTimeAnswer(request, answer);
    if (!data) {
        output_.events.emplace_back(FrameDropped{data.error()});
        return;
    }
    send(opened.frame.cmd, opened.frame.seq, *data, static_cast<SecurityFlag>(opened.flag));
    output_.events.emplace_back(TimeAnswered{request, answer});
}

ProtocolResult<TimeAnswer> HubSession::pushTime(Now now) {
    if (state_ != HubState::Ready) {
        return tl::unexpected(ProtocolError::NotReady);
    }
    const TimeAnswer answer{
        std::chrono::duration_cast<std::chrono::milliseconds>(now.utc.time_since_epoch()).count(),
        config_.timeZone};
    auto data = encodeTimeAnswer(Command::TimeRequestMs, answer);
    if (!data) {
        return tl::unexpected(data.error());
    }
    send(code(Command::TimeRequestMs), 0, *data, SecurityFlag::SessionKey);
    return answer;
}

void HubSession::poll(Now now) {
    for (auto it = pending_.begin(); it != pending_.end() && state_ != HubState::Closed;) {
        if (it->second.deadline > now.mono) {
            ++it;
            continue;
        }
        const Command command = it->second.command;
        output_.events.emplace_back(CommandTimedOut{it->first, command});
        it = pending_.erase(it);
        if (command == Command::DeviceInfo || command == Command::Pair) {
            fail(DisconnectReason::HandshakeTimeout);
        }
    }
}

std::optional<MonoTime> HubSession::nextDeadline() const {
    if (pending_.empty() || state_ == HubState::Closed) {
        return std::nullopt;
    }
    return std::min_element(
               pending_.begin(), pending_.end(),
               [](const auto& a, const auto& b) { return a.second.deadline < b.second.deadline; })
        ->second.deadline;
}

ProtocolResult<RequestId> HubSession::writeDps(std::span<const Dp> dps, Now now) {
    if (state_ != HubState::Ready) {
        return tl::unexpected(ProtocolError::NotReady);
    }
    const bool v4 = config_.version == ProtocolVersion::V4;
    const DpWrite write{std::vector<Dp>(dps.begin(), dps.end()), v4 ? nextDpSn_ : 0};
    const auto data = encodeDpWrite(write, config_.version);
    if (!data) {
        return tl::unexpected(data.error());
    }
    auto id = sendRequest(v4 ? Command::DpWriteV4 : Command::DpWriteV3, *data,
                          SecurityFlag::SessionKey, now);
    if (id && v4) {
        ++nextDpSn_;
    }
    return id;
}

ProtocolResult<RequestId> HubSession::queryStatus(Now now) {
    if (state_ != HubState::Ready) {
        return tl::unexpected(ProtocolError::NotReady);
    }
    return sendRequest(Command::StatusQuery, {}, SecurityFlag::SessionKey, now);
}

ProtocolResult<RequestId> HubSession::unbind(Now now) {
    if (state_ != HubState::Ready) {
        return tl::unexpected(ProtocolError::NotReady);
    }
    return sendRequest(Command::Unbind, {}, SecurityFlag::SessionKey, now);
}

HubOutput HubSession::takeOutput() {
    return std::exchange(output_, HubOutput{});
}

ProtocolResult<RequestId> HubSession::sendRequest(Command command, const Bytes& data,
                                                  SecurityFlag flag, Now now) {
    auto seq = channel_.send(code(command), 0, data, flag, output_.packets);
    if (seq) {
        pending_[*seq] = Pending{command, now.mono + config_.requestTimeout};
    }
    return seq;
}

void HubSession::send(std::uint16_t cmd, std::uint32_t ackSeq, const Bytes& data,
                      SecurityFlag flag) {
    if (auto sent = channel_.send(cmd, ackSeq, data, flag, output_.packets); !sent) {
        output_.events.emplace_back(FrameDropped{sent.error()});
    }
}

void HubSession::fail(DisconnectReason reason) {
    output_.disconnect = reason;
    state_ = HubState::Closed;
    pending_.clear();
}

}  // namespace lockhub::protocol::tuya
