// Big-endian field helpers for the codecs. Readers assume the caller checked the bounds.
#pragma once

#include <cstddef>
#include <cstdint>

#include "protocol/tuya/Bytes.h"

namespace lockhub::protocol::tuya {

inline void appendBe16(Bytes& out, std::uint16_t value) {
    out.push_back(static_cast<std::uint8_t>(value >> 8));
    out.push_back(static_cast<std::uint8_t>(value));
}

inline void appendBe32(Bytes& out, std::uint32_t value) {
    appendBe16(out, static_cast<std::uint16_t>(value >> 16));
    appendBe16(out, static_cast<std::uint16_t>(value));
}

inline std::uint16_t readBe16(ByteView bytes, std::size_t offset) {
    return static_cast<std::uint16_t>((bytes[offset] << 8) | bytes[offset + 1]);
}

inline std::uint32_t readBe32(ByteView bytes, std::size_t offset) {
    return (static_cast<std::uint32_t>(readBe16(bytes, offset)) << 16) |
           readBe16(bytes, offset + 2);
}

}  // namespace lockhub::protocol::tuya
