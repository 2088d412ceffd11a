#include "protocol/tuya/AsciiMillis.h"

namespace lockhub::protocol::tuya {

ProtocolResult<void> appendAsciiMillis(Bytes& out, std::int64_t unixMs) {
    if (unixMs < 0 || unixMs > kMaxAsciiMillis) {
        return tl::unexpected(ProtocolError::BadTimeFormat);
    }
    const std::size_t at = out.size();
    out.resize(at + kAsciiMillisSize);
    for (std::size_t i = kAsciiMillisSize; i-- > 0;) {
        out[at + i] = static_cast<std::uint8_t>('0' + unixMs % 10);
        unixMs /= 10;
    }
    return {};
}

ProtocolResult<std::int64_t> readAsciiMillis(ByteView bytes) {
    if (bytes.size() < kAsciiMillisSize) {
        return tl::unexpected(ProtocolError::Short);
    }
    std::int64_t value = 0;
    for (std::size_t i = 0; i < kAsciiMillisSize; ++i) {
        if (bytes[i] < '0' || bytes[i] > '9') {
            return tl::unexpected(ProtocolError::BadTimeFormat);
        }
        value = value * 10 + (bytes[i] - '0');
    }
    return value;
}

}  // namespace lockhub::protocol::tuya
