// Shared plumbing of both session sides: reassembly + secure layer in, seq + seal + split out.
// Keeps each session's code about the protocol's state, not its bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Frame.h"
#include "protocol/tuya/Keys.h"
#include "protocol/tuya/Packetizer.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/RandomSource.h"
#include "protocol/tuya/Reassembler.h"
#include "protocol/tuya/SecureLayer.h"

namespace lockhub::protocol::tuya {

struct ChannelConfig {
    std::uint8_t protocolMajor = 3;
    std::size_t mtu = kDefaultMtu;
    std::size_t maxFrameSize = kDefaultMaxFrameSize;
    bool allowPlain = false;
};

class Channel {
public:
    Channel(std::string_view loginKey, ChannelConfig config, RandomSource& random);

    // A complete frame once a stream completes, nullopt while incomplete, or an error.
    ProtocolResult<std::optional<OpenedFrame>> receive(ByteView packet, MonoTime now);

    // Seals a frame with the next seq and appends its packets to out. Returns the seq used
    // (SeqExhausted instead of wrapping).
    ProtocolResult<std::uint32_t> send(std::uint16_t cmd, std::uint32_t ackSeq, const Bytes& data,
                                       SecurityFlag flag, std::vector<Bytes>& out);

    KeyTable& keys() { return keys_; }
    const KeyTable& keys() const { return keys_; }

private:
    ChannelConfig config_;
    RandomSource& random_;
    KeyTable keys_;
    Reassembler reassembler_;
    std::uint32_t nextSeq_ = 1;
};

}  // namespace lockhub::protocol::tuya
