#include <gtest/gtest.h>

#include "domain/Backoff.h"

namespace lockhub {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
    Backoff backoff(milliseconds(1000), milliseconds(30000));
    EXPECT_EQ(backoff.next(0.0), milliseconds(500));     // base 1 s, lowest jitter
    EXPECT_EQ(backoff.next(0.999), milliseconds(1999));  // base 2 s, highest jitter
    EXPECT_EQ(backoff.next(0.5), milliseconds(3000));    // base 4 s
    EXPECT_EQ(backoff.next(1.0), milliseconds(8000));    // base 8 s
    EXPECT_EQ(backoff.next(1.0), milliseconds(16000));
    EXPECT_EQ(backoff.next(1.0), milliseconds(30000));  // capped
    EXPECT_EQ(backoff.next(1.0), milliseconds(30000));
    EXPECT_EQ(backoff.attempts(), 7);
}

TEST(Backoff, ResetStartsOver) {
    Backoff backoff(milliseconds(1000), milliseconds(60000));
    backoff.next(1.0);
    backoff.next(1.0);
    backoff.reset();
    EXPECT_EQ(backoff.attempts(), 0);
    EXPECT_EQ(backoff.next(1.0), milliseconds(1000));
}

TEST(Backoff, OutOfRangeRandomIsClamped) {
    Backoff backoff(milliseconds(1000), milliseconds(1000));
    EXPECT_EQ(backoff.next(-5.0), milliseconds(500));
    EXPECT_EQ(backoff.next(7.0), milliseconds(1000));
}

}  // namespace
}  // namespace lockhub
