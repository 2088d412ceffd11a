// The request-side rules of codes: the plans of each code type at the edges of what the scheme can
// say.
#include <gtest/gtest.h>

#include "app/CodeRules.h"

namespace lockhub {
namespace {

constexpr std::uint32_t kCodeT0 = 1'699'999'200;  // 2023-11-14T22:00:00Z
constexpr std::int64_t kNow = 1'700'000'000;

TEST(CodeRules, TheLongestTimedWindowIs9999HoursAndTheLatestStart99999HoursAfterT0) {
    const std::int64_t start = kCodeT0;
    const auto longest =
        planCode({CodeType::Timed, start, start + 9999 * 3600, std::nullopt}, kCodeT0, kNow, {});
    ASSERT_TRUE(longest.has_value()) << longest.error().message;
    EXPECT_EQ(longest->activateBy, start + 24 * 3600);
    EXPECT_FALSE(
        planCode({CodeType::Timed, start, start + 10000 * 3600, std::nullopt}, kCodeT0, kNow, {}));
    const std::int64_t latest = kCodeT0 + std::int64_t{99999} * 3600;
    EXPECT_TRUE(
        planCode({CodeType::Timed, latest, latest + 3600, std::nullopt}, kCodeT0, kNow, {}));
    EXPECT_FALSE(
        planCode({CodeType::Timed, latest + 3600, latest + 7200, std::nullopt}, kCodeT0, kNow, {}));
}

TEST(CodeRules, ClearOneCodesUseTheirWindowAndOneTimeSerialsSkipUsedOnes) {
    const auto clear =
        planCode({CodeType::ClearOne, kCodeT0, kCodeT0 + 3600, std::nullopt}, kCodeT0, kNow, {});
    ASSERT_TRUE(clear.has_value());
    EXPECT_EQ(clear->notBefore, kCodeT0);
    EXPECT_EQ(clear->notAfter, kCodeT0 + 3600);
    EXPECT_FALSE(clear->activateBy);
    ports::IssuedCode used;
    used.type = "one_time";
    used.start = kCodeT0;
    used.serial = 1;
    const auto next = planCode({CodeType::OneTime, std::nullopt, std::nullopt, std::nullopt},
                               kCodeT0, kNow, {used});
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->serial, 2);
    EXPECT_EQ(guestRules(*next).at(0), "single use");
}

TEST(CodeRules, AClockDriftBeyondAMinuteIsToldWithWhatItDoesToTheCode) {
    EXPECT_EQ(driftWarning(CodeType::Timed, 60), std::nullopt);
    EXPECT_EQ(driftWarning(CodeType::Dynamic, -60), std::nullopt);
    EXPECT_EQ(driftWarning(CodeType::Timed, 61),
              "the lock's clock is 61 s ahead of the hub's: the lock opens and closes this code's "
              "window 61 s earlier than stated");
    EXPECT_EQ(driftWarning(CodeType::OneTime, -900),
              "the lock's clock is 900 s behind the hub's: the lock opens and closes this code's "
              "window 900 s later than stated");
    EXPECT_EQ(driftWarning(CodeType::Dynamic, 120),
              "the lock's clock is 120 s ahead of the hub's: the lock accepts this dynamic code "
              "for less of its 5 minutes than usual");
    EXPECT_EQ(driftWarning(CodeType::Dynamic, -300),
              "the lock's clock is 300 s behind the hub's, more than the 300 s a dynamic code "
              "tolerates: the lock may refuse it");
}

}  // namespace
}  // namespace lockhub
