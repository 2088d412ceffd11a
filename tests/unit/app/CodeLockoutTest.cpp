// The wrong-code lockout (issue 11 part 7) on every path: code/verify, a remote unlock's code
// (UnlockCodeCheck) and the lock's wrong-password alarms; refused for lockout_s, doubling, kept in
// the store, announced as a `lockout` event.
#include <gtest/gtest.h>

#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::at;
using test::CodeHarness;
using test::kFrontMac;

class CodeLockoutTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.startFront();
        auto issued = hub_.request("code/issue", {{"lock", "front"},
                                                  {"type", "timed"},
                                                  {"name", "Guest"},
                                                  {"start", "2023-11-14T23:00:00Z"},
                                                  {"end", "2023-11-16T03:00:00Z"}});
        good_ = issued["data"]["code"];
    }
    std::string verify(const json& code) {
        return hub_.errorOf("code/verify", {{"lock", "front"}, {"code", code}});
    }
    std::vector<json> lockoutEvents() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            auto event = json::parse(payload);
            if (event["event"] == "lockout") {
                out.push_back(event);
            }
        }
        return out;
    }
    std::int64_t lockId() { return hub_.registry.byTopic("front")->record.id; }

    CodeHarness hub_;
    json good_;
};

TEST_F(CodeLockoutTest, FiveWrongCodesLockOutForAMinuteThenTwoAndTheRightCodeResets) {
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(verify("0000000000"), "auth_failed");
    }
    EXPECT_TRUE(lockoutEvents().empty());
    EXPECT_EQ(verify("00000000"), "auth_failed");
    EXPECT_EQ(verify(good_), "locked_out") << "even the right code, while locked out";
    const auto refused = hub_.request("code/verify", {{"lock", "front"}, {"code", good_}});
    EXPECT_EQ(refused["error"]["message"],
              "too many wrong codes for front; codes are refused until 2023-11-14T23:14:21Z");
    auto events = lockoutEvents();
    ASSERT_EQ(events.size(), 1u);
    // 60 s after the fifth wrong code at 23:13:20.550, rounded up to the second.
    EXPECT_EQ(events[0]["until"], "2023-11-14T23:14:21Z");
    EXPECT_EQ(events[0]["duration_s"], 60);
    EXPECT_EQ(events[0]["limit"], 5);
    EXPECT_EQ(events[0]["source"], "code/verify");
    EXPECT_EQ(events[0]["event_id"].get<std::string>().size(), 16u);
    EXPECT_EQ(hub_.codeStore.lockout(lockId()).value().lockedUntilMs, 1'700'003'660'550);

    hub_.scheduler.advance(61s);
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(verify("0000000000"), "auth_failed");
    }
    events = lockoutEvents();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1]["duration_s"], 120) << "the second lockout in a row doubles";
    hub_.scheduler.advance(121s);
    EXPECT_EQ(verify(good_), "ok");
    EXPECT_EQ(hub_.codeStore.lockout(lockId()).value().level, 0) << "a right code resets it";
}

TEST_F(CodeLockoutTest, TheLocksWrongPasswordAlarmsAndRemoteUnlocksCount) {
    for (int i = 0; i < 3; ++i) {
        hub_.radio.report(kFrontMac, {protocol::tuya::Dp::enumeration(21, 1)},
                          at(test::kStartUtc + i));
        hub_.scheduler.advance(50ms);
    }
    hub_.radio.report(kFrontMac, {protocol::tuya::Dp::enumeration(21, 0)}, at(test::kStartUtc + 5));
    hub_.scheduler.advance(50ms);
    EXPECT_EQ(hub_.codeStore.lockout(lockId()).value().failures, 3)
        << "a wrong finger is not a wrong code";
    EXPECT_FALSE(hub_.codes.check(lockId(), SecretString("11111111"), "mqtt").has_value());
    EXPECT_EQ(verify("0000000000"), "auth_failed");
    EXPECT_EQ(verify(good_), "locked_out");
    const auto match = hub_.codes.check(lockId(), SecretString(good_.get<std::string>()), "mqtt");
    ASSERT_FALSE(match.has_value());
    EXPECT_EQ(match.error().code, Errc::LockedOut);
}

TEST_F(CodeLockoutTest, WrongCodesFarApartDoNotAddUp) {
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(verify("0000000000"), "auth_failed");
    }
    hub_.scheduler.advance(16min);
    EXPECT_EQ(verify("0000000000"), "auth_failed");
    EXPECT_EQ(verify(good_), "ok");
    EXPECT_TRUE(lockoutEvents().empty());
}

}  // namespace
}  // namespace lockhub
