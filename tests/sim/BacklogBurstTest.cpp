#include <gtest/gtest.h>

#include "sim/firmware/BacklogBurst.h"
#include "sim/firmware/LockDps.h"

namespace lockhub::sim {
namespace {

std::vector<std::int64_t> secondsOf(const std::vector<TimedRecord>& records) {
    std::vector<std::int64_t> out;
    for (const auto& record : records) {
        out.push_back(record.lockTime);
    }
    return out;
}

TEST(BacklogBurst, EndsAtTheCurrentSecondOneRecordPerSecond) {
    BacklogBurst backlog;
    const auto records = backlog.next(3, 1000);
    EXPECT_EQ(secondsOf(records), (std::vector<std::int64_t>{998, 999, 1000}));
    ASSERT_EQ(records.size(), 3u);
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(records[i].dps, std::vector<Dp>{Dp::integer(dp::kRecordFingerprint,
                                                              static_cast<std::int32_t>(i))});
    }
}

TEST(BacklogBurst, NeverReusesASecondOfThePreviousBurst) {
    BacklogBurst backlog;
    (void)backlog.next(3, 1000);
    // Later, with room in the past: spreads back to just after the previous burst, no further.
    EXPECT_EQ(secondsOf(backlog.next(4, 1010)),
              (std::vector<std::int64_t>{1007, 1008, 1009, 1010}));
    EXPECT_EQ(secondsOf(backlog.next(5, 1012)),
              (std::vector<std::int64_t>{1011, 1012, 1013, 1014, 1015}));
    // Same second again (or the RTC set back): continues after the previous burst, in the future.
    EXPECT_EQ(secondsOf(backlog.next(2, 1012)), (std::vector<std::int64_t>{1016, 1017}));
    EXPECT_EQ(secondsOf(backlog.next(1, 500)), (std::vector<std::int64_t>{1018}));
}

TEST(BacklogBurst, HardwareIdsCycleThroughEveryDp12Value) {
    BacklogBurst backlog;
    const auto first = backlog.next(254, 10000);
    EXPECT_EQ(first.back().dps, std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 253)});
    const auto next = backlog.next(2, 20000);
    EXPECT_EQ(next[0].dps, std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 254)});
    EXPECT_EQ(next[1].dps, std::vector<Dp>{Dp::integer(dp::kRecordFingerprint, 0)});
}

}  // namespace
}  // namespace lockhub::sim
