#include "protocol/tuya/Varint.h"

namespace lockhub::protocol::tuya {

namespace {
constexpr std::size_t kMaxVarintSize = 5;  // 5 x 7 bits covers 32 bits
}

void appendVarint(Bytes& out, std::uint32_t value) {
    while (value >= 0x80) {
        out.push_back(static_cast<std::uint8_t>((value & 0x7F) | 0x80));
        value >>= 7;
    }
    out.push_back(static_cast<std::uint8_t>(value));
}

ProtocolResult<VarintRead> readVarint(ByteView bytes) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        if (i == kMaxVarintSize) {
            return tl::unexpected(ProtocolError::VarintOverflow);
        }
        value |= static_cast<std::uint64_t>(bytes[i] & 0x7F) << (7 * i);
        if ((bytes[i] & 0x80) == 0) {
            if (value > UINT32_MAX) {
                return tl::unexpected(ProtocolError::VarintOverflow);
            }
            return VarintRead{static_cast<std::uint32_t>(value), i + 1};
        }
    }
    return tl::unexpected(bytes.size() >= kMaxVarintSize ? ProtocolError::VarintOverflow
                                                         : ProtocolError::Short);
}

}  // namespace lockhub::protocol::tuya
