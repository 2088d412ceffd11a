#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "domain/lock/EventId.h"

namespace lockhub::domain {
namespace {

const std::vector<std::uint8_t> kThree = {0, 0, 0, 3};
constexpr std::string_view kHub = "0123456789abcdef";

EventKey timed(std::int64_t lockTime) {
    return {.hubId = kHub, .lockId = 7, .dp = 12, .value = kThree, .lockTime = lockTime};
}

// Known answers computed independently (Python hashlib) from the documented encoding, all
// big-endian: u64 len ‖ hub id ‖ u64 lock id ‖ dp ‖ u64 len ‖ value ‖ (1 ‖ u64 lock time | 0 ‖
// u64 hub ms ‖ u64 sequence) [‖ u64 len ‖ derived, when not empty]; the first 8 bytes of SHA-256
// as hex.
TEST(EventId, MatchesTheDocumentedEncoding) {
    EXPECT_EQ(eventId(timed(1700000000)), "88f8380dc2abb016");
    EXPECT_EQ(eventId({.hubId = kHub,
                       .lockId = 7,
                       .dp = 12,
                       .value = kThree,
                       .lockTime = std::nullopt,
                       .hubTimeMs = 1700000000123,
                       .sequence = 5}),
              "4a573af8ea1942b3");
    EventKey duress = timed(1700000000);
    duress.derived = "duress";
    EXPECT_EQ(eventId(duress), "72ac47c264fbf1ca");
}

TEST(EventId, AReplayedRecordGetsTheSameIdWhateverTheHubTime) {
    EventKey replay = timed(1700000000);
    const std::vector<std::uint8_t> copy(kThree);
    replay.value = copy;
    replay.hubTimeMs = 99;
    replay.sequence = 3;
    EXPECT_EQ(eventId(timed(1700000000)), eventId(replay));
    EXPECT_EQ(eventId(replay).size(), 16U);
}

TEST(EventId, EachFieldChangesTheId) {
    const std::vector<std::uint8_t> four = {0, 0, 0, 4};
    const std::vector<std::uint8_t> shifted = {'f', 0, 0, 0, 3};
    std::vector<EventKey> keys(10, timed(1700000000));
    keys[1].hubId = "fedcba9876543210";  // another hub
    keys[2].lockId = 8;                  // the same lock paired again
    keys[3].dp = 13;
    keys[4].value = four;
    keys[5].lockTime = 1700000001;
    // Length prefixes keep a byte moving from the hub id into the value from colliding.
    keys[6].hubId = kHub.substr(0, 15);
    keys[6].value = shifted;
    keys[7].lockTime = std::nullopt;  // untimed: unique by receive time and sequence
    keys[8] = keys[7];
    keys[8].sequence = 1;
    keys[9].derived = "duress";  // the hub's duress event beside the lock's unlock
    std::set<std::string> ids;
    for (const auto& key : keys) {
        ids.insert(eventId(key));
    }
    EXPECT_EQ(ids.size(), keys.size());
}

}  // namespace
}  // namespace lockhub::domain
