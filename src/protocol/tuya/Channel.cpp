#include "protocol/tuya/Channel.h"

namespace lockhub::protocol::tuya {

Channel::Channel(std::string_view loginKey, ChannelConfig config, RandomSource& random)
    : config_(config),
      random_(random),
      keys_(loginKey, config.allowPlain),
      reassembler_(ReassemblerConfig{config.maxFrameSize}) {}

ProtocolResult<std::optional<OpenedFrame>> Channel::receive(ByteView packet, MonoTime now) {
    auto complete = reassembler_.push(packet, now);
    if (!complete) {
        return tl::unexpected(complete.error());
    }
    if (!*complete) {
        return std::optional<OpenedFrame>{};
    }
    return openFrame(**complete, keys_).map([](OpenedFrame opened) {
        return std::optional<OpenedFrame>{std::move(opened)};
    });
}

ProtocolResult<std::uint32_t> Channel::send(std::uint16_t cmd, std::uint32_t ackSeq,
                                            const Bytes& data, SecurityFlag flag,
                                            std::vector<Bytes>& out) {
    if (nextSeq_ == 0) {
        return tl::unexpected(ProtocolError::SeqExhausted);
    }
    const auto key = keys_.keyFor(static_cast<std::uint8_t>(flag));
    if (!key) {
        return tl::unexpected(key.error());
    }
    const std::uint32_t seq = nextSeq_;
    const auto sealed =
        sealFrame(Frame{seq, ackSeq, cmd, data}, flag, *key ? &**key : nullptr, random_);
    if (!sealed) {
        return tl::unexpected(sealed.error());
    }
    for (Bytes& packet : splitIntoPackets(*sealed, config_.protocolMajor, config_.mtu)) {
        out.push_back(std::move(packet));
    }
    ++nextSeq_;  // wraps to 0 after 2^32-1, which the check above turns into SeqExhausted
    return seq;
}

}  // namespace lockhub::protocol::tuya
