// The inner frame (§1.7) and its codec: big-endian seq, ack_seq, cmd, len, data, CRC-16/MODBUS.
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Command.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

struct Frame {
    std::uint32_t seq = 0;
    std::uint32_t ackSeq = 0;  // seq of the frame answered; 0 for requests and reports
    std::uint16_t cmd = 0;
    Bytes data;

    bool is(Command command) const { return cmd == code(command); }
    bool operator==(const Frame&) const = default;
};

inline constexpr std::size_t kFrameHeaderSize = 12;
inline constexpr std::size_t kFrameOverhead = kFrameHeaderSize + 2;  // header + CRC
inline constexpr std::size_t kAesBlock = 16;

// Header, data and CRC; DataTooLong above 65535 data bytes.
ProtocolResult<Bytes> encodeFrame(const Frame& frame);
// Zero-fills to the next multiple of 16, as the secure layer encrypts it.
void padToBlock(Bytes& bytes);
// Accepts the plain frame with or without its zero padding (fewer than 16 trailing zero bytes).
// Checks in this order: Short, BadLength, BadPadding, BadCrc.
ProtocolResult<Frame> decodeFrame(ByteView bytes);

}  // namespace lockhub::protocol::tuya
