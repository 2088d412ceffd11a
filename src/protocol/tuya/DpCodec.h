// DP records (§1.11): id (1) | type (1) | len (1 byte in v3, 2 bytes BE in v4) | value, back to
// back.
#pragma once

#include <span>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Dp.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/ProtocolVersion.h"

namespace lockhub::protocol::tuya {

// DpTooLong when a value exceeds the length field; DpBadValueSize for a bitmap width not 1/2/4.
ProtocolResult<Bytes> encodeDps(std::span<const Dp> dps, ProtocolVersion version);

// Whole-buffer parse: every byte must belong to a record. Bool = 1 byte (non-zero is true),
// value = 4 bytes signed, enum = 1/2/4 bytes, bitmap = 1/2/4 bytes.
ProtocolResult<std::vector<Dp>> decodeDps(ByteView bytes, ProtocolVersion version);

}  // namespace lockhub::protocol::tuya
