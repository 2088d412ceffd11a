// parseIsoMillis: the times queries take, the inverse of isoUtcMillis.
#include <gtest/gtest.h>

#include "app/IsoTime.h"
#include "app/LockMessages.h"

namespace lockhub {
namespace {

TEST(IsoTime, ReadsUtcFractionsAndOffsets) {
    EXPECT_EQ(parseIsoMillis("1970-01-01T00:00:00Z"), 0);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20Z"), 1'700'000'000'000);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.5Z"), 1'700'000'000'500);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.05Z"), 1'700'000'000'050);
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.345Z"), 1'700'000'000'345);
    EXPECT_EQ(parseIsoMillis("2023-11-14T23:13:20+01:00"), 1'700'000'000'000);
    EXPECT_EQ(parseIsoMillis("2023-11-14T17:43:20-04:30"), 1'700'000'000'000);
    EXPECT_EQ(parseIsoMillis("2024-02-29T00:00:00Z"), 1'709'164'800'000);
    // RFC 3339 allows any number of fraction digits; what lies below a millisecond is dropped.
    EXPECT_EQ(parseIsoMillis("2023-11-14T22:13:20.123456Z"), 1'700'000'000'123);
}

TEST(IsoTime, IsTheInverseOfWhatTheHubPublishes) {
    for (std::int64_t ms : {0LL, 1'700'000'000'345LL, 1'796'116'420'902LL}) {
        EXPECT_EQ(parseIsoMillis(isoUtcMillis(ms)), ms);
    }
}

TEST(IsoTime, RefusesEverythingElse) {
    for (const char* bad :
         {"", "2023-11-14", "2023-11-14T22:13:20", "2023-11-14 22:13:20Z", "2023-11-14T22:13Z",
          "2023-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2023-11-14T24:00:00Z",
          "2023-11-14T22:60:00Z", "2023-11-14T22:13:60Z", "2023-11-14T22:13:20.Z",
          "2023-11-14T22:13:20+0100", "2023-11-14T22:13:20Zx", "1969-12-31T23:59:59Z",
          "1970-01-01T00:30:00+01:00", "+2023-11-14T22:13:20Z", "2023-1-14T22:13:20Z",
          "2023-11-14T22:13:20z"}) {
        EXPECT_EQ(parseIsoMillis(bad), std::nullopt) << bad;
    }
}

}  // namespace
}  // namespace lockhub
