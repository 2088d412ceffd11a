#include "sim/firmware/BacklogBurst.h"

#include <algorithm>

#include "sim/firmware/LockDps.h"

namespace lockhub::sim {
namespace {

constexpr std::uint8_t kHardwareIds = 255;  // 0..254; 0xFF means "lock picks" in DP 1

}  // namespace

std::vector<TimedRecord> BacklogBurst::next(std::uint32_t count, std::int64_t lockNow) {
    std::vector<TimedRecord> records;
    if (count == 0) {
        return records;
    }
    std::int64_t first = lockNow - static_cast<std::int64_t>(count) + 1;
    if (lastSecond_) {
        first = std::max(first, *lastSecond_ + 1);
    }
    records.reserve(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        records.push_back({{Dp::integer(dp::kRecordFingerprint, nextHardwareId_)},
                           first + static_cast<std::int64_t>(i)});
        nextHardwareId_ = static_cast<std::uint8_t>((nextHardwareId_ + 1) % kHardwareIds);
    }
    lastSecond_ = records.back().lockTime;
    return records;
}

}  // namespace lockhub::sim
