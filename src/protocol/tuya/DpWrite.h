// DP writes, hub to lock (§1.12): v3 0x0002 = DP records (reply: 1 status byte); v4 0x0027 =
// version 0 || dp_sn (4, BE) || records (reply: version || dp_sn || status).
#pragma once

#include <cstdint>
#include <vector>

#include "protocol/tuya/Bytes.h"
#include "protocol/tuya/Dp.h"
#include "protocol/tuya/ProtocolError.h"
#include "protocol/tuya/ProtocolVersion.h"

namespace lockhub::protocol::tuya {

struct DpWrite {
    std::vector<Dp> dps;
    std::uint32_t dpSn = 0;  // v4 only
};

struct DpWriteReply {
    std::uint8_t status = 0;  // 0 = accepted
    std::uint32_t dpSn = 0;   // v4 only: echoed sn
};

ProtocolResult<Bytes> encodeDpWrite(const DpWrite& write, ProtocolVersion version);
// v4: BadPayload below 5 bytes or for a version byte other than 0.
ProtocolResult<DpWrite> decodeDpWrite(ByteView data, ProtocolVersion version);

Bytes encodeDpWriteReply(const DpWriteReply& reply, ProtocolVersion version);
ProtocolResult<DpWriteReply> decodeDpWriteReply(ByteView data, ProtocolVersion version);

// The 1-byte status replies of 0x0002 (v3), 0x0003 and 0x0005.
Bytes encodeStatusReply(std::uint8_t status);
ProtocolResult<std::uint8_t> decodeStatusReply(ByteView data);

}  // namespace lockhub::protocol::tuya
