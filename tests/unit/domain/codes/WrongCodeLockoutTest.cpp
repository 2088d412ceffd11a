// The wrong-code lockout's rules: the limit, the window, the doubling and its cap, and that a
// correct code or a quiet spell starts again.
#include <gtest/gtest.h>

#include "domain/codes/WrongCodeLockout.h"

namespace lockhub::domain::codes {
namespace {

constexpr LockoutRules kRules{.limit = 5, .baseMs = 60'000, .maxMs = 900'000, .windowMs = 900'000};

// Wrong codes one second apart from `at`; returns the lockout's end if the last one started one.
std::optional<std::int64_t> wrong(LockoutState& state, int count, std::int64_t at) {
    std::optional<std::int64_t> until;
    for (int i = 0; i < count; ++i) {
        until = recordWrongCode(state, kRules, at + i * 1000);
    }
    return until;
}

TEST(WrongCodeLockout, TheFifthWrongCodeLocksOutForTheBaseTime) {
    LockoutState state;
    EXPECT_FALSE(wrong(state, 4, 0));
    EXPECT_FALSE(isLockedOut(state, 4000));
    const auto until = recordWrongCode(state, kRules, 4000);
    ASSERT_TRUE(until);
    EXPECT_EQ(*until, 64'000);
    EXPECT_TRUE(isLockedOut(state, 63'999));
    EXPECT_FALSE(isLockedOut(state, 64'000));
}

TEST(WrongCodeLockout, LockoutsInARowDoubleUpToTheCap) {
    LockoutState state;
    std::int64_t at = 0;
    std::vector<std::int64_t> durations;
    for (int round = 0; round < 6; ++round) {
        const auto until = wrong(state, 5, at);
        ASSERT_TRUE(until);
        durations.push_back(*until - (at + 4000));
        at = *until;
    }
    EXPECT_EQ(durations,
              (std::vector<std::int64_t>{60'000, 120'000, 240'000, 480'000, 900'000, 900'000}));
}

TEST(WrongCodeLockout, WrongCodesWhileLockedOutAreNotCounted) {
    LockoutState state;
    wrong(state, 5, 0);
    const auto before = state;
    EXPECT_FALSE(recordWrongCode(state, kRules, 10'000));
    EXPECT_EQ(state, before);
}

TEST(WrongCodeLockout, ACorrectCodeOrAQuietWindowStartsAgain) {
    LockoutState state;
    wrong(state, 4, 0);
    recordCorrectCode(state);
    EXPECT_FALSE(wrong(state, 4, 10'000));
    EXPECT_EQ(state.failures, 4);

    LockoutState quiet;
    wrong(quiet, 4, 0);
    EXPECT_FALSE(recordWrongCode(quiet, kRules, 3000 + 900'001)) << "the old four have lapsed";
    EXPECT_EQ(quiet.failures, 1);

    LockoutState doubled;
    const auto first = wrong(doubled, 5, 0);
    ASSERT_TRUE(first);
    const auto later = *first + 900'001;
    const auto second = wrong(doubled, 5, later);
    ASSERT_TRUE(second);
    EXPECT_EQ(*second - (later + 4000), 60'000)
        << "a quiet window after a lockout resets the doubling";
}

}  // namespace
}  // namespace lockhub::domain::codes
