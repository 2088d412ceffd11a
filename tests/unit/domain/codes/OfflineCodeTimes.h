// The time base the offline-code tests share: the SDK's default T0 and the hours counted from its
// hour floor.
#pragma once

#include <cstdint>

namespace lockhub::domain::codes::test {

inline constexpr std::uint32_t kT0 = 1589251799;    // the SDK default
inline constexpr std::int64_t kEpoch = 1589248800;  // kT0's hour floor
inline constexpr std::int64_t kHour = 3600;
inline constexpr std::int64_t kStart = 1615046400;  // 2021-03-06 16:00 UTC, hour 7166

}  // namespace lockhub::domain::codes::test
