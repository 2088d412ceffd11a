// StatePublisher: one retained state message per report or settled link transition that changes
// something, never a repeat, and availability when the link's reachability changes.
#include <gtest/gtest.h>

#include "app/StatePublisher.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using protocol::tuya::Dp;
using test::kFrontMac;

constexpr const char* kState = "lockhub/front/state";

class StatePublisherTest : public ::testing::Test {
protected:
    std::size_t states() { return hub_.broker.on(kState).size(); }
    test::ServiceHarness hub_;
};

TEST_F(StatePublisherTest, StartingALinkPublishesOnlyWhatChangedOnceSettled) {
    hub_.startWithLock();
    // idle → waiting → connecting → handshake → ready settle into one message, then the status
    // the lock re-reports after the handshake is one more.
    const auto messages = hub_.broker.on(kState);
    ASSERT_EQ(messages.size(), 2u);
    EXPECT_TRUE(messages[0].retained);
    const auto last = nlohmann::json::parse(messages.back().payload);
    EXPECT_EQ(last["link"], "ready");
    EXPECT_EQ(hub_.broker.payloadsOn("lockhub/front/availability"),
              std::vector<std::string>{"online"});
}

TEST_F(StatePublisherTest, ABatteryReportWithTwoDpsIsOneMessage) {
    hub_.startWithLock();
    const auto before = states();
    hub_.radio.report(kFrontMac, {Dp::integer(8, 40), Dp::enumeration(9, 1)});
    hub_.scheduler.settle();
    ASSERT_EQ(states(), before + 1);
    const auto state = hub_.lastJson(kState);
    EXPECT_EQ(state["battery"], 40);
    EXPECT_EQ(state["battery_level"], "medium");
}

TEST_F(StatePublisherTest, ARepeatIsNotPublishedAndAConfirmationResetsTheStateAge) {
    hub_.startWithLock();
    hub_.radio.report(kFrontMac, {Dp::boolean(47, true)});
    hub_.scheduler.settle();
    const auto first = hub_.lastJson(kState);
    const auto count = states();
    // last_seen is part of the content, so a report within the same second is a repeat.
    hub_.radio.report(kFrontMac, {Dp::boolean(47, true)});
    hub_.radio.report(kFrontMac, {Dp::enumeration(9, 0)});
    hub_.scheduler.settle();
    EXPECT_EQ(states(), count + 1);  // only the battery level changed something
    hub_.scheduler.advance(61s);
    hub_.radio.report(kFrontMac, {Dp::boolean(47, true)});
    hub_.scheduler.settle();
    const auto refreshed = hub_.lastJson(kState);
    EXPECT_EQ(refreshed["lock"], first["lock"]);
    EXPECT_EQ(refreshed["state_age_s"], 0);
}

TEST_F(StatePublisherTest, LosingTheLockForgetsTheBoltAndSaysOffline) {
    hub_.startWithLock();
    hub_.radio.report(kFrontMac, {Dp::boolean(47, true)});
    hub_.scheduler.settle();
    ASSERT_EQ(hub_.lastJson(kState)["lock"], "locked");
    hub_.radio.dropLink(kFrontMac);
    hub_.scheduler.advance(40s);  // reconnect attempts fail: out of range
    EXPECT_EQ(hub_.broker.payloadsOn("lockhub/front/availability").back(), "offline");
    EXPECT_EQ(hub_.lastJson(kState)["lock"], "unknown");
}

TEST_F(StatePublisherTest, AReconnectToTheBrokerRepublishesRetainedStateAndAvailability) {
    hub_.startWithLock();
    const auto count = states();
    hub_.broker.disconnect();
    hub_.broker.connect();
    hub_.scheduler.settle();
    EXPECT_EQ(states(), count + 1);
    EXPECT_EQ(hub_.broker.payloadsOn("lockhub/front/availability").size(), 2u);
}

}  // namespace
}  // namespace lockhub
