#include "protocol/tuya/DpWrite.h"

#include "protocol/tuya/BigEndian.h"
#include "protocol/tuya/DpCodec.h"

namespace lockhub::protocol::tuya {

namespace {
constexpr std::size_t kV4WriteHeaderSize = 5;  // version + dp_sn
constexpr std::uint8_t kV4WriteVersion = 0;
}  // namespace

ProtocolResult<Bytes> encodeDpWrite(const DpWrite& write, ProtocolVersion version) {
    auto records = encodeDps(write.dps, version);
    if (!records || version == ProtocolVersion::V3) {
        return records;
    }
    Bytes out{kV4WriteVersion};
    appendBe32(out, write.dpSn);
    out.insert(out.end(), records->begin(), records->end());
    return out;
}

ProtocolResult<DpWrite> decodeDpWrite(ByteView data, ProtocolVersion version) {
    if (version == ProtocolVersion::V3) {
        return decodeDps(data, version).map([](std::vector<Dp> dps) {
            return DpWrite{std::move(dps), 0};
        });
    }
    if (data.size() < kV4WriteHeaderSize || data[0] != kV4WriteVersion) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    const std::uint32_t dpSn = readBe32(data, 1);
    return decodeDps(data.subspan(kV4WriteHeaderSize), version).map([dpSn](std::vector<Dp> dps) {
        return DpWrite{std::move(dps), dpSn};
    });
}

Bytes encodeDpWriteReply(const DpWriteReply& reply, ProtocolVersion version) {
    if (version == ProtocolVersion::V3) {
        return encodeStatusReply(reply.status);
    }
    Bytes out{kV4WriteVersion};
    appendBe32(out, reply.dpSn);
    out.push_back(reply.status);
    return out;
}

ProtocolResult<DpWriteReply> decodeDpWriteReply(ByteView data, ProtocolVersion version) {
    if (version == ProtocolVersion::V3) {
        return decodeStatusReply(data).map([](std::uint8_t status) {
            return DpWriteReply{status, 0};
        });
    }
    if (data.size() != kV4WriteHeaderSize + 1) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    return DpWriteReply{data[kV4WriteHeaderSize], readBe32(data, 1)};
}

Bytes encodeStatusReply(std::uint8_t status) {
    return Bytes{status};
}

ProtocolResult<std::uint8_t> decodeStatusReply(ByteView data) {
    if (data.size() != 1) {
        return tl::unexpected(ProtocolError::BadPayload);
    }
    return data[0];
}

}  // namespace lockhub::protocol::tuya
