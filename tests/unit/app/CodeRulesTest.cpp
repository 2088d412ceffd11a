// The request-side rules of codes: ISO-8601 times with their offsets, and the plans of each code
// type at the edges of what the scheme can say.
#include <gtest/gtest.h>

#include "app/CodeRules.h"
#include "app/IsoTime.h"

namespace lockhub {
namespace {

constexpr std::uint32_t kT0 = 1'699'999'200;  // 2023-11-14T22:00:00Z
constexpr std::int64_t kNow = 1'700'000'000;

TEST(IsoTime, OffsetsAreConvertedToUtcAndAnythingElseIsRefused) {
    EXPECT_EQ(parseIsoTime("2023-11-14T22:00:00Z"), 1'699'999'200);
    EXPECT_EQ(parseIsoTime("2023-11-14T23:00:00+01:00"), 1'699'999'200);
    EXPECT_EQ(parseIsoTime("2023-11-14T17:30-0430"), 1'699'999'200);
    EXPECT_EQ(parseIsoTime("2023-11-14T22:00:00.999Z"), 1'699'999'200);
    EXPECT_EQ(parseIsoTime("1970-01-01T00:00:00Z"), 0);
    for (const char* bad :
         {"2023-11-14T22:00:00", "2023-11-14", "2023-02-30T00:00:00Z", "2023-11-14T24:00:00Z",
          "2023-11-14T22:00:00+25:00", "tomorrow", "", "2023-11-14T22:00:00Zjunk",
          "1969-12-31T23:00:00Z", "1970-01-01T00:30:00+01:00"}) {
        EXPECT_FALSE(parseIsoTime(bad)) << bad;
    }
}

TEST(CodeRules, TheLongestTimedWindowIs9999HoursAndTheLatestStart99999HoursAfterT0) {
    const std::int64_t start = kT0;
    const auto longest =
        planCode({CodeType::Timed, start, start + 9999 * 3600, std::nullopt}, kT0, kNow, {});
    ASSERT_TRUE(longest.has_value()) << longest.error().message;
    EXPECT_EQ(longest->activateBy, start + 24 * 3600);
    EXPECT_FALSE(
        planCode({CodeType::Timed, start, start + 10000 * 3600, std::nullopt}, kT0, kNow, {}));
    const std::int64_t latest = kT0 + std::int64_t{99999} * 3600;
    EXPECT_TRUE(planCode({CodeType::Timed, latest, latest + 3600, std::nullopt}, kT0, kNow, {}));
    EXPECT_FALSE(
        planCode({CodeType::Timed, latest + 3600, latest + 7200, std::nullopt}, kT0, kNow, {}));
}

TEST(CodeRules, ClearOneCodesUseTheirWindowAndOneTimeSerialsSkipUsedOnes) {
    const auto clear = planCode({CodeType::ClearOne, kT0, kT0 + 3600, std::nullopt}, kT0, kNow, {});
    ASSERT_TRUE(clear.has_value());
    EXPECT_EQ(clear->notBefore, kT0);
    EXPECT_EQ(clear->notAfter, kT0 + 3600);
    EXPECT_FALSE(clear->activateBy);
    ports::IssuedCode used;
    used.type = "one_time";
    used.start = kT0;
    used.serial = 1;
    const auto next =
        planCode({CodeType::OneTime, std::nullopt, std::nullopt, std::nullopt}, kT0, kNow, {used});
    ASSERT_TRUE(next.has_value());
    EXPECT_EQ(next->serial, 2);
    EXPECT_EQ(guestRules(*next).at(0), "single use");
}

}  // namespace
}  // namespace lockhub
