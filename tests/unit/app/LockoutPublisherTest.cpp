// LockoutPublisher: the retained `<lock>/lockout` level of the wrong-code lockout, wired as the
// daemon wires it: published when a lockout starts, turned inactive by a timer at its end, shown
// from the store at start-up, sent again on each connection and on Home Assistant's birth, and
// cleared when the lock goes.
#include <gtest/gtest.h>

#include <optional>

#include "app/HomeAssistant.h"
#include "app/LockoutPublisher.h"
#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::kFrontMac;

const std::string kTopic = "lockhub/front/lockout";
const std::string kInactive = R"({"active":false})";

class LockoutPublisherTest : public ::testing::Test {
protected:
    LockoutPublisherTest() {
        hub_.codes.watchLockouts([this](const PairedLock& lock) { publisher_.started(lock); });
        hub_.bridge.onConnected([this] { publisher_.publishAll(); });
        ha_.emplace(HomeAssistantOptions{.enabled = true,
                                         .discoveryPrefix = "homeassistant",
                                         .baseTopic = "lockhub",
                                         .hubId = test::kHubId,
                                         .swVersion = "1.2.3",
                                         .supportUrl = "",
                                         .requireCode = false},
                    hub_.registry, hub_.users, hub_.state, hub_.bridge, hub_.broker);
        ha_->republishOnBirth([this] { publisher_.publishAll(); });
    }

    std::int64_t nowMs() {
        return std::chrono::duration_cast<std::chrono::milliseconds>(
                   hub_.scheduler.utcNow().time_since_epoch())
            .count();
    }
    // "front" paired by an earlier run that left `state` in the store, then the hub starts.
    void startWithStoredLockout(const domain::codes::LockoutState& state) {
        hub_.radio.addLock(kFrontMac, test::lockSideOf("5a"));
        auto record = hub_.store.addLock(test::recordOf("front", kFrontMac, "5a"), 0);
        ASSERT_TRUE(record.has_value());
        ASSERT_TRUE(hub_.codeStore.setLockout(record->id, state).has_value());
        hub_.start();
    }
    void fiveWrongCodes() {
        for (int i = 0; i < 5; ++i) {
            EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", "0000000000"}}),
                      "auth_failed");
        }
    }
    std::vector<std::string> payloads() { return hub_.broker.payloadsOn(kTopic); }
    std::string last() {
        auto messages = hub_.broker.on(kTopic);
        EXPECT_FALSE(messages.empty());
        if (messages.empty()) {
            return "<nothing>";
        }
        EXPECT_TRUE(messages.back().retained);
        EXPECT_EQ(messages.back().qos, 1);
        return messages.back().payload;
    }
    std::int64_t lockId() { return hub_.registry.byTopic("front")->record.id; }

    test::CodeHarness hub_;
    LockoutPublisher publisher_{"lockhub", hub_.codeStore, hub_.broker, hub_.scheduler,
                                hub_.registry};
    std::optional<HomeAssistant> ha_;  // after the publisher: destroyed first
};

TEST_F(LockoutPublisherTest, ALockoutIsPublishedWhenItStartsAndTurnsInactiveExactlyAtItsEnd) {
    hub_.startFront();
    EXPECT_EQ(payloads(), std::vector<std::string>{kInactive}) << "connecting shows none";
    fiveWrongCodes();
    const auto state = hub_.codeStore.lockout(lockId()).value();
    // The fifth wrong code at 23:13:20.540 (started at .500, 10 ms per request): 60 s, the end
    // rounded up as the `lockout` event and the locked_out message say it.
    EXPECT_EQ(state.lockedUntilMs, 1'700'003'660'540);
    EXPECT_EQ(last(), R"({"active":true,"since":"2023-11-14T23:13:20.540Z",)"
                      R"("until":"2023-11-14T23:14:21Z","duration_s":60})");
    EXPECT_EQ(payloads().size(), 2u);

    hub_.scheduler.advance(std::chrono::milliseconds(state.lockedUntilMs - nowMs() - 1));
    EXPECT_EQ(payloads().size(), 2u) << "still locked out 1 ms before the end";
    hub_.scheduler.advance(1ms);
    EXPECT_EQ(last(), kInactive);
    EXPECT_EQ(payloads().size(), 3u);
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", "0000000000"}}),
              "auth_failed")
        << "the hub judges codes again when the topic says so";
}

TEST_F(LockoutPublisherTest, TheLocksOwnWrongPasswordAlarmsStartItToo) {
    hub_.startFront();
    for (int i = 0; i < 5; ++i) {
        hub_.radio.report(kFrontMac, {protocol::tuya::Dp::enumeration(21, 1)},
                          test::at(test::kStartUtc + i));
        hub_.scheduler.advance(50ms);
    }
    EXPECT_TRUE(json::parse(last())["active"]);
}

TEST_F(LockoutPublisherTest, ALockoutStoredByTheLastRunIsShownAtStartAndItsEndRearmed) {
    const auto now = nowMs();
    startWithStoredLockout(
        {.failures = 0, .lastFailureMs = now - 20'000, .lockedUntilMs = now + 100'000, .level = 2});
    const auto shown = json::parse(last());
    EXPECT_EQ(shown["active"], true);
    EXPECT_EQ(shown["since"], isoUtcMillis(now - 20'000));
    EXPECT_EQ(shown["until"], isoUtcSeconds((now + 100'000 + 999) / 1000));
    EXPECT_EQ(shown["duration_s"], 120);
    EXPECT_EQ(payloads().size(), 1u);
    hub_.scheduler.advance(std::chrono::milliseconds(now + 100'000 - nowMs()));
    EXPECT_EQ(last(), kInactive);
    EXPECT_EQ(payloads().size(), 2u);
}

TEST_F(LockoutPublisherTest, ALockoutThatEndedWhileTheHubWasDownShowsInactive) {
    const auto now = nowMs();
    startWithStoredLockout(
        {.failures = 0, .lastFailureMs = now - 61'000, .lockedUntilMs = now - 1'000, .level = 1});
    EXPECT_EQ(payloads(), std::vector<std::string>{kInactive});
    hub_.scheduler.advance(1h);
    EXPECT_EQ(payloads().size(), 1u) << "no end to announce";
}

TEST_F(LockoutPublisherTest, HomeAssistantsBirthAndEachReconnectionSendItAgain) {
    hub_.startFront();
    fiveWrongCodes();
    const auto active = last();
    ASSERT_TRUE(json::parse(active)["active"]);
    hub_.broker.published.clear();
    hub_.broker.deliver("homeassistant/status", "online");
    EXPECT_EQ(payloads(), std::vector<std::string>{active});
    hub_.broker.disconnect();
    hub_.broker.connect();
    hub_.scheduler.advance(10ms);
    EXPECT_EQ(payloads(), (std::vector<std::string>{active, active}));
}

TEST_F(LockoutPublisherTest, RemovingTheLockClearsItsLockoutAndItsEndTimer) {
    hub_.startFront();
    fiveWrongCodes();
    const auto response = hub_.request("lock/remove", {{"lock", "front"}});
    ASSERT_EQ(response["status"], "ok") << response;
    EXPECT_EQ(last(), "") << "an empty retained payload clears the topic";
    const auto count = payloads().size();
    hub_.scheduler.advance(2min);
    EXPECT_EQ(payloads().size(), count) << "the ended lockout of a removed lock says nothing";
}

}  // namespace
}  // namespace lockhub
