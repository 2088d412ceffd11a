#include "app/DpConvert.h"

#include "protocol/tuya/DpCodec.h"

namespace lockhub {
namespace {

using protocol::tuya::ProtocolVersion;
// v4 records: id (1), type (1), length (2, big-endian), value.
constexpr std::size_t kHeader = 4;

}  // namespace

Result<domain::DpRecord> toDpRecord(const protocol::tuya::Dp& dp) {
    const protocol::tuya::Dp one[] = {dp};
    auto wire = protocol::tuya::encodeDps(one, ProtocolVersion::V4);
    if (!wire) {
        return fail(Errc::BadRequest,
                    "DP " + std::to_string(dp.id) + " cannot be encoded: " +
                        std::string(protocol::tuya::protocolErrorName(wire.error())));
    }
    return domain::DpRecord{dp.id, (*wire)[1], {wire->begin() + kHeader, wire->end()}};
}

Result<protocol::tuya::Dp> toProtocolDp(const domain::DpRecord& record) {
    if (record.raw.size() > 0xFFFF) {
        return fail(Errc::BadRequest, "DP " + std::to_string(record.id) + " is too long");
    }
    std::vector<std::uint8_t> wire = {record.id, record.type,
                                      static_cast<std::uint8_t>(record.raw.size() >> 8),
                                      static_cast<std::uint8_t>(record.raw.size() & 0xFF)};
    wire.insert(wire.end(), record.raw.begin(), record.raw.end());
    auto dps = protocol::tuya::decodeDps(wire, ProtocolVersion::V4);
    if (!dps || dps->size() != 1) {
        return fail(Errc::BadRequest, "DP " + std::to_string(record.id) + " is not a valid " +
                                          std::string(domain::dpTypeName(record.type)) + " value");
    }
    return dps->front();
}

}  // namespace lockhub
