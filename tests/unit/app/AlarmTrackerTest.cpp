// AlarmTracker: each alarm is an `alarm` event (the edge) and a retained `<lock>/alarm/<name>`
// state (the level) that its clear rule lowers; repeats within 10 s merge into one follow-up event
// with a count, except pry and unclosed_time; low_battery also follows the battery DPs; active
// states are adopted back from the broker after a restart.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr std::int64_t kAlarmLockTime = 1700000100;

class AlarmTrackerTest : public ::testing::Test {
protected:
    void SetUp() override { hub_.startWithLock(); }

    void alarm(std::uint32_t value, std::int64_t lockTime = kAlarmLockTime) {
        hub_.radio.report(kFrontMac, {Dp::enumeration(21, value)}, at(lockTime));
        hub_.scheduler.settle();
    }
    void status(std::vector<Dp> dps) {
        hub_.radio.report(kFrontMac, std::move(dps));
        hub_.scheduler.settle();
    }
    std::vector<json> events() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            out.push_back(json::parse(payload));
        }
        return out;
    }
    std::vector<fakes::FakeBroker::Message> states(const std::string& name) {
        return hub_.broker.on("lockhub/front/alarm/" + name);
    }
    json state(const std::string& name) {
        auto all = states(name);
        EXPECT_FALSE(all.empty()) << name;
        if (all.empty()) {
            return {};
        }
        EXPECT_TRUE(all.back().retained);
        return json::parse(all.back().payload);
    }

    test::ServiceHarness hub_;
};

TEST_F(AlarmTrackerTest, APryIsAnEventAndAnActiveRetainedStateThatClearsAfterItsTimeout) {
    alarm(8);
    const auto published = events();
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0]["event"], "alarm");
    EXPECT_EQ(published[0]["alarm"], "pry");
    EXPECT_EQ(published[0]["count"], 1);
    EXPECT_EQ(state("pry"),
              (json{{"active", true}, {"since", "2023-11-14T23:13:20.500Z"}, {"count", 1}}));
    hub_.scheduler.advance(299s);
    EXPECT_EQ(state("pry")["active"], true);
    hub_.scheduler.advance(2s);
    EXPECT_EQ(state("pry"),
              (json{{"active", false}, {"since", "2023-11-14T23:18:20.500Z"}, {"count", 1}}));
}

TEST_F(AlarmTrackerTest, RepeatsWithinTenSecondsAreStoredButMergedIntoOneEventWithACount) {
    alarm(12, kAlarmLockTime);
    hub_.scheduler.advance(3s);
    alarm(12, kAlarmLockTime + 3);
    hub_.scheduler.advance(3s);
    alarm(12, kAlarmLockTime + 6);
    EXPECT_EQ(hub_.storedRecords(), 3u) << "every record is kept";
    ASSERT_EQ(events().size(), 1u) << "repeats wait for the burst to end";
    EXPECT_EQ(state("shock")["count"], 3);
    hub_.scheduler.advance(10s);
    const auto published = events();
    ASSERT_EQ(published.size(), 2u);
    EXPECT_EQ(published[1]["event"], "alarm");
    EXPECT_EQ(published[1]["alarm"], "shock");
    EXPECT_EQ(published[1]["count"], 3);
    EXPECT_EQ(published[1]["lock_time"], "2023-11-14T22:15:06Z");
    EXPECT_NE(published[1]["event_id"], published[0]["event_id"]);
    // A shock 11 s after the last is a new burst.
    alarm(12, kAlarmLockTime + 30);
    ASSERT_EQ(events().size(), 3u);
    EXPECT_EQ(events()[2]["count"], 1);
}

TEST_F(AlarmTrackerTest, PryAndDoorLeftOpenAreNeverHeldBack) {
    for (int i = 0; i < 3; ++i) {
        alarm(8, kAlarmLockTime + i);
        alarm(6, kAlarmLockTime + i);
        hub_.scheduler.advance(1s);
    }
    const auto published = events();
    ASSERT_EQ(published.size(), 6u);
    EXPECT_EQ(published[4]["alarm"], "pry");
    EXPECT_EQ(published[4]["count"], 3);
    EXPECT_EQ(published[5]["alarm"], "unclosed_time");
    EXPECT_EQ(published[5]["count"], 3);
    hub_.scheduler.advance(20s);
    EXPECT_EQ(events().size(), 6u) << "nothing was merged, so no follow-up";
}

TEST_F(AlarmTrackerTest, TheLocksOwnReportClearsDoorBoltAndBatteryAlarms) {
    alarm(6);                      // unclosed_time
    alarm(7);                      // tongue_not_out
    status({Dp::integer(17, 0)});  // the door closes
    EXPECT_EQ(state("unclosed_time")["active"], false);
    EXPECT_EQ(state("tongue_not_out")["active"], true);
    status({Dp::boolean(47, true)});  // the bolt goes out
    EXPECT_EQ(state("tongue_not_out")["active"], false);
}

TEST_F(AlarmTrackerTest, WrongCredentialsStayOneWrongCodeEventPerAttemptWithAState) {
    alarm(1, kAlarmLockTime);
    alarm(1, kAlarmLockTime + 1);
    const auto published = events();
    ASSERT_EQ(published.size(), 2u);
    EXPECT_EQ(published[0]["event"], "wrong_code");
    EXPECT_EQ(published[0]["method"], "password");
    EXPECT_FALSE(published[0].contains("count"));
    EXPECT_EQ(state("wrong_password"),
              (json{{"active", true}, {"since", "2023-11-14T23:13:20.500Z"}, {"count", 2}}));
    hub_.scheduler.advance(61s);
    EXPECT_EQ(state("wrong_password")["active"], false);
}

TEST_F(AlarmTrackerTest, LowBatteryFollowsTheProfilesThresholdAndTheLocksLevel) {
    status({Dp::integer(8, 21), Dp::enumeration(9, 2)});
    EXPECT_TRUE(states("low_battery").empty()) << "21 % is above the profile's 20 %";
    status({Dp::integer(8, 20)});
    EXPECT_EQ(state("low_battery")["active"], true);
    auto published = events();
    ASSERT_EQ(published.size(), 1u);
    EXPECT_EQ(published[0]["event"], "alarm");
    EXPECT_EQ(published[0]["alarm"], "low_battery");
    EXPECT_EQ(published[0]["dp"], 8);
    status({Dp::integer(8, 19)});
    EXPECT_EQ(events().size(), 1u) << "a level: raised once";
    status({Dp::integer(8, 60)});
    EXPECT_EQ(state("low_battery")["active"], false);
    status({Dp::enumeration(9, 3)});  // exhausted, whatever the percentage said
    EXPECT_EQ(state("low_battery")["active"], true);
}

TEST_F(AlarmTrackerTest, ALockWithoutAPercentageIsLowAtItsOwnLowLevel) {
    status({Dp::enumeration(9, 1)});
    EXPECT_TRUE(states("low_battery").empty());
    status({Dp::enumeration(9, 2)});
    EXPECT_EQ(state("low_battery")["active"], true);
    status({Dp::enumeration(9, 0)});
    EXPECT_EQ(state("low_battery")["active"], false);
}

TEST_F(AlarmTrackerTest, AnActiveStateRetainedBeforeARestartIsAdoptedAndStillClears) {
    // What the broker hands back on subscribe: the last run's pry, raised 100 s ago.
    hub_.broker.deliver("lockhub/front/alarm/pry",
                        R"({"active": true, "since": "2023-11-14T23:11:40.500Z", "count": 4})");
    hub_.broker.deliver("lockhub/front/alarm/shock",
                        R"({"active": false, "since": "2023-11-14T23:11:40.500Z", "count": 1})");
    hub_.broker.deliver("lockhub/front/alarm/pry", "not json");
    EXPECT_TRUE(states("pry").empty()) << "adopting republishes nothing";
    alarm(8);
    EXPECT_EQ(state("pry")["count"], 5) << "the same activation goes on";
    EXPECT_EQ(state("pry")["since"], "2023-11-14T23:11:40.500Z");
}

TEST_F(AlarmTrackerTest, AnAdoptedStateClearsWhenItsTimeoutFromSinceRunsOut) {
    hub_.broker.deliver("lockhub/front/alarm/pry",
                        R"({"active": true, "since": "2023-11-14T23:11:40.500Z", "count": 4})");
    hub_.scheduler.advance(199s);
    EXPECT_TRUE(states("pry").empty());
    hub_.scheduler.advance(2s);
    EXPECT_EQ(state("pry")["active"], false);
    EXPECT_EQ(state("pry")["count"], 4);
}

TEST_F(AlarmTrackerTest, RemovingTheLockClearsItsRetainedAlarmTopics) {
    alarm(8);
    hub_.registry.remove(*hub_.registry.byTopic("front"));
    hub_.scheduler.settle();
    const auto all = states("pry");
    ASSERT_FALSE(all.empty());
    EXPECT_EQ(all.back().payload, "");
    EXPECT_TRUE(all.back().retained);
}

}  // namespace
}  // namespace lockhub
