#include "domain/lock/ValidityBlock.h"

namespace lockhub::domain {

void appendValidity(std::vector<std::uint8_t>& out, std::uint32_t effective, std::uint32_t expiry) {
    for (std::uint32_t value : {effective, expiry}) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.push_back(static_cast<std::uint8_t>(value >> shift));
        }
    }
    out.insert(out.end(), {0, 0, 0, 0, 0});  // no repeat pattern, no repeat bits
    out.insert(out.end(), {0, 0, 23, 59});   // daily 00:00 - 23:59
}

}  // namespace lockhub::domain
