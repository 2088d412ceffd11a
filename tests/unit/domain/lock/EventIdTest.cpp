#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "domain/lock/EventId.h"

namespace lockhub::domain {
namespace {

const std::vector<std::uint8_t> kThree = {0, 0, 0, 3};

// Known answers computed independently (Python hashlib) from the documented encoding:
// u64 len ‖ topic ‖ dp ‖ u64 len ‖ raw ‖ i64 lock time, all big-endian; first 8 bytes as hex.
TEST(EventId, MatchesTheDocumentedEncoding) {
    EXPECT_EQ(eventId("front-door", 12, kThree, 1700000000), "5675db7e1368ce73");
    EXPECT_EQ(eventId("front-door", 12, kThree, -1), "17b3713fdfa25859");
}

TEST(EventId, AReplayedRecordGetsTheSameId) {
    const auto first = eventId("front-door", 12, kThree, 1700000000);
    const auto replay = eventId("front-door", 12, std::vector<std::uint8_t>(kThree), 1700000000);
    EXPECT_EQ(first, replay);
    EXPECT_EQ(first.size(), 16U);
}

TEST(EventId, EachFieldChangesTheId) {
    const std::set<std::string> ids = {
        eventId("front-door", 12, kThree, 1700000000),
        eventId("back-door", 12, kThree, 1700000000),
        eventId("front-door", 13, kThree, 1700000000),
        eventId("front-door", 12, std::vector<std::uint8_t>{0, 0, 0, 4}, 1700000000),
        eventId("front-door", 12, kThree, 1700000001),
        // Length prefixes keep a byte moving from the topic into the value from colliding.
        eventId("front-doo", 12, std::vector<std::uint8_t>{'r', 0, 0, 0, 3}, 1700000000),
    };
    EXPECT_EQ(ids.size(), 6U);
}

}  // namespace
}  // namespace lockhub::domain
