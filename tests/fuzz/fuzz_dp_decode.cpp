// DP decode, both length widths (chosen by the first byte). Whatever decodes must encode and
// decode again to the same DPs.
#include <cstddef>
#include <cstdint>

#include "protocol/tuya/DpCodec.h"

namespace tuya = lockhub::protocol::tuya;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const auto version = (data[0] & 1) != 0 ? tuya::ProtocolVersion::V4 : tuya::ProtocolVersion::V3;
    const auto dps = tuya::decodeDps(tuya::ByteView(data + 1, size - 1), version);
    if (!dps) {
        return 0;
    }
    const auto encoded = tuya::encodeDps(*dps, version);
    if (!encoded) {
        __builtin_trap();
    }
    const auto again = tuya::decodeDps(*encoded, version);
    if (!again || *again != *dps) {
        __builtin_trap();
    }
    return 0;
}
