// PAIR (0x0001) request and reply payloads (§1.9).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "domain/Secret.h"
#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/ProtocolError.h"

namespace lockhub::protocol::tuya {

inline constexpr std::size_t kUuidSize = 16;
inline constexpr std::size_t kLoginKeySize = 6;
inline constexpr std::size_t kDeviceIdSize = 22;
inline constexpr std::size_t kPairRequestSize = kUuidSize + kLoginKeySize + kDeviceIdSize;

struct PairRequest {
    std::string uuid;       // 16 ASCII characters
    SecretString loginKey;  // 6 ASCII characters = local_key[:6]
    std::string deviceId;   // virtual id, up to 22 ASCII characters, zero-padded on the wire
};

enum class PairResult : std::uint8_t { Paired = 0, UuidMismatch = 1, AlreadyBound = 2 };

// BadPayload when a field has the wrong size.
ProtocolResult<Bytes> encodePairRequest(const PairRequest& request);
// The device id loses its zero padding.
ProtocolResult<PairRequest> decodePairRequest(ByteView data);

Bytes encodePairResult(PairResult result);
// BadPayload unless exactly one byte of 0, 1 or 2.
ProtocolResult<PairResult> decodePairResult(ByteView data);

}  // namespace lockhub::protocol::tuya
