// The 17-byte validity block ("时效性") that DP 1, 3, 51 and 53 carry (reference §2.3;
// frankhommers' `build_validity_permanent`, the Tuya BLE lock SDK stores it opaquely): effective
// and expiry time as big-endian Unix seconds (UTC), a repeat pattern, four repeat bytes, and a
// daily start and end as hh, mm. The hub sends no repeat (pattern 0, bits 0) and the whole day
// 00:00-23:59: the repeat semantics are not public (docs/codes.md "Online temporary passwords").
#pragma once

#include <cstdint>
#include <vector>

namespace lockhub::domain {

inline constexpr std::size_t kValidityBlockSize = 17;
// The reference's "permanent" window: 2000-01-01T00:00:00Z to 2030-12-31T23:59:59Z.
inline constexpr std::uint32_t kPermanentFrom = 946684800;
inline constexpr std::uint32_t kPermanentTo = 1924991999;

// Appends the block for [effective, expiry] with no repeat, all day.
void appendValidity(std::vector<std::uint8_t>& out, std::uint32_t effective, std::uint32_t expiry);

}  // namespace lockhub::domain
