#include "sim/firmware/Validity.h"

#include <algorithm>
#include <vector>

namespace lockhub::sim {

bool readValidity(ByteReader& reader, Validity& validity) {
    std::vector<std::uint8_t> rest;
    if (!reader.u32(validity.effective) || !reader.u32(validity.expiry) ||
        !reader.bytes(validity.rest.size(), rest)) {
        return false;
    }
    std::copy(rest.begin(), rest.end(), validity.rest.begin());
    return true;
}

}  // namespace lockhub::sim
