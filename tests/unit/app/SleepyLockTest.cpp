// Battery locks that sleep (design §3, issue 9): a link on demand connects when the lock's
// advertisement asks for it, gives up on a lock that does not answer instead of dialling it
// forever, and shows it offline once it has not been heard from for the availability timeout.
#include <gtest/gtest.h>

#include "app/ConnectionSlots.h"
#include "app/LockLink.h"
#include "tests/fakes/FakeLockRadio.h"
#include "tests/fakes/ManualScheduler.h"
#include "tests/unit/app/LinkIdentities.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using fakes::FakeLockRadio;
using protocol::tuya::Dp;

using test::hubSide;
using test::lockSide;
constexpr const char* kSleepyMac = test::kLinkMac;

LinkPolicy onDemand() {
    LinkPolicy policy;
    policy.mode = LinkPolicy::Mode::OnDemand;
    policy.pollInterval = 0s;
    return policy;
}

class SleepyLockTest : public ::testing::Test {
protected:
    void SetUp() override {
        radio_.setHandlers({
            .advertisement =
                [this](const ports::Advertisement& ad) {
                    if (auto* link = linkFor(ad.mac)) {
                        link->onAdvertisement(ad);
                    }
                },
            .notification =
                [this](const std::string& mac, const ports::Bytes& packet) {
                    if (auto* link = linkFor(mac)) {
                        link->onNotification(packet);
                    }
                },
            .linkLost =
                [this](const std::string& mac, const std::string& reason) {
                    if (auto* link = linkFor(mac)) {
                        link->onLinkLost(reason);
                    }
                },
            .adapterAvailable = nullptr,
        });
        radio_.addLock(kSleepyMac, lockSide());
    }

    LockLink& addLink(const std::string& mac, LinkPolicy policy) {
        LockLink::Events events;
        events.availability = [this](bool online) { availability_.push_back(online); };
        auto link = std::make_unique<LockLink>(hubSide(mac), policy, radio_, scheduler_, random_,
                                               slots_, std::move(events));
        auto& ref = *link;
        links_[mac] = std::move(link);
        ref.start();
        return ref;
    }
    LockLink* linkFor(const std::string& mac) {
        auto it = links_.find(mac);
        return it == links_.end() ? nullptr : it->second.get();
    }

    fakes::ManualScheduler scheduler_;
    FakeLockRadio radio_{scheduler_};
    fakes::CountingRandom random_;
    ConnectionSlots slots_{1};
    std::map<std::string, std::unique_ptr<LockLink>> links_;
    std::vector<bool> availability_;
};

TEST_F(SleepyLockTest, AConnectRequestWakesTheLinkWhichDrainsAndGoesBackToSleep) {
    auto& link = addLink(kSleepyMac, onDemand());
    scheduler_.advance(1s);
    EXPECT_EQ(link.state(), LinkState::Idle);
    EXPECT_EQ(radio_.connectAttempts, 0);
    radio_.advertise(kSleepyMac, false);  // nothing to say
    scheduler_.advance(1s);
    EXPECT_EQ(radio_.connectAttempts, 0);

    radio_.advertise(kSleepyMac, true);  // a record waits
    scheduler_.advance(100ms);
    EXPECT_EQ(link.state(), LinkState::Ready);
    EXPECT_EQ(radio_.connectAttempts, 1);
    radio_.advertise(kSleepyMac, false);  // drained: the bit clears, which is not news
    scheduler_.advance(10s);              // past the linger
    EXPECT_EQ(link.state(), LinkState::Idle);
    EXPECT_FALSE(radio_.lock(kSleepyMac).connected);
    EXPECT_EQ(radio_.connectAttempts, 1);
}

TEST_F(SleepyLockTest, ALockThatDoesNotAnswerIsTriedAFewTimesThenLeftAlone) {
    radio_.lock(kSleepyMac).inRange = false;  // the battery died
    auto& link = addLink(kSleepyMac, onDemand());
    link.wake();
    scheduler_.advance(5min);
    EXPECT_EQ(radio_.connectAttempts, kWakeAttempts);
    EXPECT_EQ(link.state(), LinkState::Idle);
    // Failed attempts say nothing of a lock that may be asleep: the timeout (10 min, counted from
    // the start, as it was never heard from) does.
    EXPECT_TRUE(availability_.empty());
    scheduler_.advance(5min - 1ms);
    EXPECT_TRUE(availability_.empty());
    scheduler_.advance(2ms);
    EXPECT_EQ(availability_, std::vector<bool>{false});
    scheduler_.advance(30min);
    EXPECT_EQ(radio_.connectAttempts, kWakeAttempts);  // no storm while it is silent
}

TEST_F(SleepyLockTest, FailedWakesLeaveItOnlineUntilTheTimeoutAfterItWasLastSeen) {
    LinkPolicy policy = onDemand();
    policy.availabilityTimeout = 120s;
    auto& link = addLink(kSleepyMac, policy);
    link.wake();
    scheduler_.advance(10s);  // connected, lingered, back to sleep
    ASSERT_EQ(availability_, std::vector<bool>{true});
    scheduler_.advance(50s);
    radio_.advertise(kSleepyMac);  // last seen
    radio_.lock(kSleepyMac).inRange = false;
    const auto seen = scheduler_.now();
    link.wake();  // a poll: every attempt fails
    scheduler_.advance(100s);
    EXPECT_EQ(radio_.connectAttempts, 1 + kWakeAttempts);
    EXPECT_EQ(availability_, std::vector<bool>{true}) << "not offline on a failed attempt";
    scheduler_.advance(
        std::chrono::duration_cast<std::chrono::milliseconds>(seen + 120s - scheduler_.now()) -
        1ms);
    EXPECT_EQ(availability_, std::vector<bool>{true});
    scheduler_.advance(2ms);
    EXPECT_EQ(availability_, (std::vector<bool>{true, false})) << "offline at the timeout";
}

TEST_F(SleepyLockTest, AShorterTimeoutSetLaterCountsFromTheLastSighting) {
    auto& link = addLink(kSleepyMac, onDemand());  // the default timeout: 10 min
    link.wake();
    scheduler_.advance(10s);
    radio_.advertise(kSleepyMac);
    const auto seen = scheduler_.now();
    scheduler_.advance(30s);
    LinkPolicy shorter = onDemand();
    shorter.availabilityTimeout = 60s;
    link.setPolicy(shorter);
    scheduler_.advance(
        std::chrono::duration_cast<std::chrono::milliseconds>(seen + 60s - scheduler_.now()) - 1ms);
    EXPECT_EQ(availability_, std::vector<bool>{true});
    scheduler_.advance(2ms);
    EXPECT_EQ(availability_, (std::vector<bool>{true, false}));
}

TEST_F(SleepyLockTest, ALockLeftAloneIsTriedAgainWhenItIsHeardFrom) {
    radio_.lock(kSleepyMac).inRange = false;
    auto& link = addLink(kSleepyMac, onDemand());
    link.wake();
    scheduler_.advance(5min);
    ASSERT_EQ(radio_.connectAttempts, kWakeAttempts);
    radio_.lock(kSleepyMac).inRange = true;  // a new battery
    radio_.advertise(kSleepyMac);
    scheduler_.advance(1s);
    EXPECT_EQ(radio_.connectAttempts, kWakeAttempts + 1);
    EXPECT_EQ(link.state(), LinkState::Ready);
    EXPECT_EQ(availability_, std::vector<bool>{true});
}

TEST_F(SleepyLockTest, AnAlwaysLinkToADeadLockTriesAtMostOnceAMinuteOnceBackedOff) {
    LinkPolicy always;
    always.mode = LinkPolicy::Mode::Always;
    radio_.lock(kSleepyMac).inRange = false;
    addLink(kSleepyMac, always);
    scheduler_.advance(5min);  // 1, 2, 4, … s: the back-off reaches its cap
    const int before = radio_.connectAttempts;
    scheduler_.advance(10min);
    EXPECT_LE(radio_.connectAttempts - before, 10);
    EXPECT_GE(radio_.connectAttempts - before, 5);
}

TEST_F(SleepyLockTest, ALockNotHeardFromForTheAvailabilityTimeoutGoesOffline) {
    LinkPolicy policy = onDemand();
    policy.availabilityTimeout = 120s;
    auto& link = addLink(kSleepyMac, policy);
    link.wake();
    scheduler_.advance(10s);  // connected, reported, lingered, back to sleep
    ASSERT_EQ(availability_, std::vector<bool>{true});
    for (int i = 0; i < 10; ++i) {
        radio_.advertise(kSleepyMac);  // asleep but alive: advertising every 10 s
        scheduler_.advance(10s);
    }
    EXPECT_EQ(availability_, std::vector<bool>{true});
    scheduler_.advance(125s);  // silence
    EXPECT_EQ(availability_, (std::vector<bool>{true, false}));
}

TEST_F(SleepyLockTest,
       TheDefaultAvailabilityTimeoutIsTwiceTheAdvertisingIntervalAndAtLeastTenMinutes) {
    auto& link = addLink(kSleepyMac, onDemand());
    link.wake();
    scheduler_.advance(10s);
    for (int i = 0; i < 8; ++i) {
        radio_.advertise(kSleepyMac);
        scheduler_.advance(400s);  // a very sleepy lock: one advertisement every 400 s
    }
    EXPECT_EQ(availability_, std::vector<bool>{true});  // 800 s > 10 min: still online
    scheduler_.advance(500s);
    EXPECT_EQ(availability_, (std::vector<bool>{true, false}));
}

TEST_F(SleepyLockTest, AStandingLinkYieldsItsSlotToACommandAndTakesItBackAfterwards) {
    LinkPolicy always;
    always.mode = LinkPolicy::Mode::Always;
    const std::string other = "DC:23:4D:00:00:02";
    radio_.addLock(other, lockSide());
    auto& standing = addLink(kSleepyMac, always);
    scheduler_.advance(100ms);
    ASSERT_EQ(standing.state(), LinkState::Ready);
    auto& sleepy = addLink(other, onDemand());
    std::vector<CommandResult> results;
    sleepy.submit({Dp::boolean(46, true)}, 30s,
                  [&](const CommandResult& r) { results.push_back(r); });
    scheduler_.advance(100ms);
    ASSERT_EQ(results.size(), 1u);
    EXPECT_EQ(results[0].outcome, CommandResult::Outcome::Ok);
    EXPECT_EQ(radio_.lock(other).writes.size(), 1u);
    EXPECT_EQ(standing.state(), LinkState::Waiting);  // yielded, in line again
    scheduler_.advance(10s);                          // the on-demand link lingers, then drops
    EXPECT_EQ(sleepy.state(), LinkState::Idle);
    EXPECT_EQ(standing.state(), LinkState::Ready);
}

// The holder was still connecting when the second command queued, so nobody could be asked to
// yield then: once its own command is done it gives way, rather than at its keep-alive's end.
TEST_F(SleepyLockTest, AHolderBusyWhenAnotherLinkQueuedYieldsOnceItsWorkIsDone) {
    LinkPolicy keepAlive = onDemand();
    keepAlive.mode = LinkPolicy::Mode::KeepAlive;
    keepAlive.keepAlive = 30s;
    const std::string other = "DC:23:4D:00:00:02";
    radio_.addLock(other, lockSide());
    auto& first = addLink(kSleepyMac, keepAlive);
    auto& second = addLink(other, keepAlive);
    std::vector<std::string> done;
    first.submit({Dp::boolean(46, true)}, 30s,
                 [&](const CommandResult&) { done.push_back(kSleepyMac); });
    ASSERT_EQ(first.state(), LinkState::Connecting);
    second.submit({Dp::boolean(46, true)}, 30s,
                  [&](const CommandResult&) { done.push_back(other); });
    ASSERT_EQ(second.state(), LinkState::Waiting);
    scheduler_.advance(1s);
    EXPECT_EQ(done, (std::vector<std::string>{kSleepyMac, other}))
        << "the second command must not wait for the first link's 30 s keep-alive";
    EXPECT_EQ(first.state(), LinkState::Waiting) << "yielded, in line again behind it";
}

}  // namespace
}  // namespace lockhub
