// Little-endian base-128 varints used by the transport headers (§1.4): 7 bits per byte, high bit
// set on every byte but the last.
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

struct VarintRead {
    std::uint32_t value;
    std::size_t size;  // bytes consumed
};

void appendVarint(Bytes& out, std::uint32_t value);

// VarintOverflow for more than 5 bytes or a value above 2^32-1; Short when the bytes end
// mid-varint.
ProtocolResult<VarintRead> readVarint(ByteView bytes);

}  // namespace lockhub::protocol::tuya
