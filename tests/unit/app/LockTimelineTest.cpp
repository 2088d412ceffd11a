// LockTimeline through the pipeline: invalid lock times corrected and flagged, drift measured on
// live records and published, a drift over a minute raising clock_drift and pushing the hub's
// time, and a replay that filled the lock's store raising records_lost with an estimate.
#include <gtest/gtest.h>

#include "app/LockTimeline.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

class LockTimelineTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.events.attachTimeline(timeline_);
        hub_.startWithLock();
    }
    // The hub's clock, in whole seconds.
    std::int64_t hubNow() const {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   hub_.scheduler.utcNow().time_since_epoch())
            .count();
    }
    void unlock(std::int64_t lockTime, std::int32_t credential = 3) {
        hub_.radio.report(kFrontMac, {Dp::integer(12, credential)}, at(lockTime));
        hub_.scheduler.advance(100ms);
    }
    std::vector<json> events() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            out.push_back(json::parse(payload));
        }
        return out;
    }
    std::vector<json> eventsNamed(const std::string& name) {
        std::vector<json> out;
        for (auto& e : events()) {
            if (e["event"] == name) {
                out.push_back(e);
            }
        }
        return out;
    }
    // Out of range and back: the next records arrive on a new connection.
    void reconnect() {
        hub_.radio.dropLink(kFrontMac);
        hub_.radio.lock(kFrontMac).inRange = true;
        hub_.scheduler.advance(60s);
        ASSERT_TRUE(hub_.radio.lock(kFrontMac).connected);
    }

    test::ServiceHarness hub_;
    LockTimeline timeline_{{}, hub_.registry, hub_.store, hub_.state, hub_.scheduler};
};

TEST_F(LockTimelineTest, ALockTimeBefore2020IsShownAtTheHubsTimeAndFlagged) {
    const auto now = hubNow();
    unlock(1500000000);
    const auto published = events();
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0]["lock_time"], isoUtcSeconds(now));
    EXPECT_EQ(published[0]["time_corrected"], true);
    // The replay key keeps what the lock sent: the same record again is a duplicate.
    reconnect();
    unlock(1500000000);
    EXPECT_EQ(hub_.storedRecords(), 1u);
    auto stored = hub_.store.queryRecords({}, std::nullopt, 10).value();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0].lockTime, 1500000000);
}

TEST_F(LockTimelineTest, ALockTimeMoreThanFiveMinutesAheadIsCorrectedFiveMinutesIsNot) {
    const auto now = hubNow();
    unlock(now + 300, 1);
    unlock(now + 302, 2);
    auto unlocks = eventsNamed("unlock");
    ASSERT_EQ(unlocks.size(), 2u);
    EXPECT_EQ(unlocks[0]["lock_time"], isoUtcSeconds(now + 300));
    EXPECT_FALSE(unlocks[0].contains("time_corrected"));
    EXPECT_EQ(unlocks[1]["lock_time"], isoUtcSeconds(now));
    EXPECT_EQ(unlocks[1]["time_corrected"], true);
}

TEST_F(LockTimelineTest, DriftWithinAMinuteIsOnlyPublishedInTheState) {
    const auto pushesBefore = hub_.radio.lock(kFrontMac).timesReceived.size();
    unlock(hubNow() + 42);
    EXPECT_EQ(hub_.lastJson("lockhub/front/state")["rtc_drift_s"], 42);
    EXPECT_TRUE(eventsNamed("clock_drift").empty());
    EXPECT_EQ(hub_.radio.lock(kFrontMac).timesReceived.size(), pushesBefore);
    EXPECT_EQ(timeline_.drift(hub_.registry.byTopic("front")->record.id), 42);
}

TEST_F(LockTimelineTest, DriftOverAMinuteRaisesClockDriftAndPushesTheHubsTime) {
    const auto pushesBefore = hub_.radio.lock(kFrontMac).timesReceived.size();
    const auto now = hubNow();
    unlock(now + 120);
    auto drift = eventsNamed("clock_drift");
    ASSERT_EQ(drift.size(), 1u);
    EXPECT_EQ(drift[0]["drift_s"], 120);
    EXPECT_EQ(drift[0]["time_pushed"], true);
    EXPECT_EQ(drift[0]["method"], nullptr);
    EXPECT_EQ(drift[0]["user"], nullptr);
    EXPECT_EQ(drift[0]["lock_time"], isoUtcSeconds(now + 120));
    EXPECT_EQ(hub_.lastJson("lockhub/front/state")["rtc_drift_s"], 120);
    const auto& times = hub_.radio.lock(kFrontMac).timesReceived;
    ASSERT_EQ(times.size(), pushesBefore + 1);
    // UTC: the hub's own clock, no zone applied.
    EXPECT_NEAR(static_cast<double>(times.back()), static_cast<double>(now * 1000), 1000.0);
    // The lock now runs on the hub's time.
    unlock(hubNow(), 4);
    EXPECT_EQ(hub_.lastJson("lockhub/front/state")["rtc_drift_s"], 0);
    EXPECT_EQ(eventsNamed("clock_drift").size(), 1u);
    // clock_drift is a record of its own, derived from the unlock.
    EXPECT_EQ(hub_.storedRecords(), 3u);
}

TEST_F(LockTimelineTest, AReplayThatFilledTheLocksStoreRaisesRecordsLostWithAnEstimate) {
    const auto base = hubNow() - 7200;
    unlock(base, 1);  // the last record the hub had
    reconnect();
    // 30 happened a minute apart while the hub was away; the lock kept the newest 20.
    for (int i = 11; i <= 30; ++i) {
        unlock(base + i * 60, i);
    }
    auto lost = eventsNamed("records_lost");
    ASSERT_EQ(lost.size(), 1u);
    EXPECT_EQ(lost[0]["count"], 10);
    EXPECT_EQ(lost[0]["estimate"], true);
    EXPECT_EQ(lost[0]["since"], isoUtcSeconds(base));
    EXPECT_EQ(lost[0]["until"], isoUtcSeconds(base + 660));
    EXPECT_EQ(lost[0]["lock_time"], isoUtcSeconds(base + 1800));
    EXPECT_EQ(lost[0]["credential"], nullptr);
    EXPECT_EQ(eventsNamed("unlock").size(), 21u);
    // The same replay again (the lock lost our acks) is recognised: nothing new, no second gap.
    reconnect();
    for (int i = 11; i <= 30; ++i) {
        unlock(base + i * 60, i);
    }
    EXPECT_EQ(eventsNamed("records_lost").size(), 1u);
    EXPECT_EQ(hub_.storedRecords(), 22u);
}

TEST_F(LockTimelineTest, AFullReplayThatFollowsOnWithoutAGapLosesNothing) {
    const auto base = hubNow() - 7200;
    unlock(base, 1);
    reconnect();
    for (int i = 1; i <= 20; ++i) {
        unlock(base + i * 60, i + 1);
    }
    EXPECT_TRUE(eventsNamed("records_lost").empty());
}

TEST_F(LockTimelineTest, AShortReplayLosesNothingWhateverTheGap) {
    const auto base = hubNow() - 7200;
    unlock(base, 1);
    reconnect();
    for (int i = 50; i < 69; ++i) {
        unlock(base + i * 60, i);
    }
    EXPECT_TRUE(eventsNamed("records_lost").empty());
}

}  // namespace
}  // namespace lockhub
