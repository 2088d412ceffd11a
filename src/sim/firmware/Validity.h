// The 17-byte validity block of DP 1/3/51/53 (reference §2.3): effective and expiry time (Unix
// seconds, BE), then repeat pattern and daily times, which are kept verbatim but not enforced.
#pragma once

#include <array>
#include <cstdint>

#include "sim/firmware/ByteReader.h"

namespace lockhub::sim {

struct Validity {
    std::uint32_t effective = 0;
    std::uint32_t expiry = 0;
    std::array<std::uint8_t, 9> rest{};

    bool covers(std::int64_t now) const { return now >= effective && now <= expiry; }
};

bool readValidity(ByteReader& reader, Validity& validity);

}  // namespace lockhub::sim
