// The secure layer (§1.5): flag || IV || AES-128-CBC(zero-padded frame), or flag 0 || frame.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Frame.h"
#include "protocol/tuya/Keys.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/RandomSource.h"

namespace lockhub::protocol::tuya {

using Iv = std::array<std::uint8_t, 16>;

// Seals a frame. key is required for flags 4 and 5 and ignored for flag 0 (sent unpadded and
// without IV). The IV comes from random.
ProtocolResult<Bytes> sealFrame(const Frame& frame, SecurityFlag flag, const AesKey* key,
                                RandomSource& random);
// Same with a fixed IV, for known-answer tests and benchmarks.
ProtocolResult<Bytes> sealFrameWithIv(const Frame& frame, SecurityFlag flag, const AesKey* key,
                                      const Iv& iv);

struct OpenedFrame {
    std::uint8_t flag;  // the peer's flag: replies use the same one (§1.5)
    Frame frame;
};

// Picks the key by the flag byte from the table, decrypts and decodes the frame.
ProtocolResult<OpenedFrame> openFrame(ByteView secureBytes, const KeyTable& keys);

}  // namespace lockhub::protocol::tuya
