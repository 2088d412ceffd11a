#include "protocol/tuya/Frame.h"

#include <algorithm>

#include "protocol/tuya/BigEndian.h"
#include "protocol/tuya/Crc16.h"

namespace lockhub::protocol::tuya {

ProtocolResult<Bytes> encodeFrame(const Frame& frame) {
    if (frame.data.size() > UINT16_MAX) {
        return tl::unexpected(ProtocolError::DataTooLong);
    }
    Bytes out;
    out.reserve(kFrameOverhead + frame.data.size() + kAesBlock);
    appendBe32(out, frame.seq);
    appendBe32(out, frame.ackSeq);
    appendBe16(out, frame.cmd);
    appendBe16(out, static_cast<std::uint16_t>(frame.data.size()));
    out.insert(out.end(), frame.data.begin(), frame.data.end());
    appendBe16(out, crc16Modbus(out));
    return out;
}

void padToBlock(Bytes& bytes) {
    bytes.resize((bytes.size() + kAesBlock - 1) / kAesBlock * kAesBlock);
}

ProtocolResult<Frame> decodeFrame(ByteView bytes) {
    if (bytes.size() < kFrameOverhead) {
        return tl::unexpected(ProtocolError::Short);
    }
    const std::size_t length = readBe16(bytes, 10);
    if (kFrameOverhead + length > bytes.size()) {
        return tl::unexpected(ProtocolError::BadLength);
    }
    const ByteView padding = bytes.subspan(kFrameOverhead + length);
    if (padding.size() >= kAesBlock ||
        std::any_of(padding.begin(), padding.end(), [](std::uint8_t b) { return b != 0; })) {
        return tl::unexpected(ProtocolError::BadPadding);
    }
    const std::size_t crcAt = kFrameHeaderSize + length;
    if (crc16Modbus(bytes.first(crcAt)) != readBe16(bytes, crcAt)) {
        return tl::unexpected(ProtocolError::BadCrc);
    }
    const ByteView data = bytes.subspan(kFrameHeaderSize, length);
    return Frame{readBe32(bytes, 0), readBe32(bytes, 4), readBe16(bytes, 8),
                 Bytes(data.begin(), data.end())};
}

}  // namespace lockhub::protocol::tuya
