// UnlockRequests: the lock's request is an `unlock_request` event with its expiry, and
// `<lock>/set` APPROVE / DENY answers it once, within its window.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr const char* kRequestResult = "lockhub/front/set/result";

class UnlockRequestsTest : public ::testing::Test {
protected:
    void SetUp() override { hub_.startWithLock(); }

    // The sim's request DP: 68, the value the seconds the request stays open.
    json request(std::int32_t windowS = 60) {
        hub_.radio.report(kFrontMac, {Dp::integer(68, windowS)}, at(lockNow()));
        hub_.scheduler.settle();
        return hub_.lastJson("lockhub/front/event");
    }
    std::int64_t lockNow() const {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   hub_.scheduler.utcNow().time_since_epoch())
            .count();
    }
    void set(const std::string& payload) {
        hub_.broker.deliver("lockhub/front/set", payload);
        hub_.scheduler.settle();
    }
    std::vector<json> results() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn(kRequestResult)) {
            out.push_back(json::parse(payload));
        }
        return out;
    }
    std::size_t writes() { return hub_.radio.lock(kFrontMac).writes.size(); }

    test::ServiceHarness hub_;
};

TEST_F(UnlockRequestsTest, TheRequestEventSaysUntilWhenItCanBeAnswered) {
    const auto event = request(45);
    EXPECT_EQ(event["event"], "unlock_request");
    EXPECT_EQ(event["dp"], 68);
    EXPECT_EQ(event["expires"], "2023-11-14T23:14:05.500Z");
}

TEST_F(UnlockRequestsTest, ApprovedInTimeTheLockUnlocksAndTheResultSaysApprove) {
    request();
    hub_.scheduler.advance(30s);
    set(R"({"state": "APPROVE", "transaction": "a1"})");
    ASSERT_EQ(writes(), 1u) << "the profile's unlock (DP 6) was written";
    EXPECT_EQ(hub_.radio.lock(kFrontMac).writes[0].front().id, 6);
    hub_.radio.report(kFrontMac, {Dp::raw(6, {1, 0})});
    hub_.scheduler.settle();
    EXPECT_EQ(results(),
              (std::vector<json>{{{"state", "APPROVE"}, {"result", "ok"}, {"transaction", "a1"}}}));
}

TEST_F(UnlockRequestsTest, ASecondAnswerIsAlreadyAnsweredALateOneExpired) {
    request();
    set("DENY");
    set("APPROVE");
    hub_.scheduler.advance(61s);
    set("APPROVE");
    EXPECT_EQ(writes(), 0u) << "nothing reaches the lock";
    const auto all = results();
    ASSERT_EQ(all.size(), 3u);
    EXPECT_EQ(all[0], (json{{"state", "DENY"}, {"result", "ok"}}));
    EXPECT_EQ(all[1]["result"], "already_answered");
    EXPECT_NE(all[1]["reason"].get<std::string>().find("answered DENY at 2023-11-14T23:13:20.500Z"),
              std::string::npos)
        << all[1];
    EXPECT_EQ(all[2]["result"], "already_answered") << "answered beats expired";

    request();
    hub_.scheduler.advance(60s);
    set("APPROVE");
    EXPECT_EQ(
        results().back(),
        (json{{"state", "APPROVE"},
              {"result", "expired"},
              {"reason", "the request " +
                             hub_.lastJson("lockhub/front/event")["event_id"].get<std::string>() +
                             " expired at 2023-11-14T23:15:21.500Z"}}));
    EXPECT_EQ(writes(), 0u);
}

TEST_F(UnlockRequestsTest, BadAnswersGetExactResults) {
    set("APPROVE");
    EXPECT_EQ(results().back(),
              (json{{"state", "APPROVE"},
                    {"result", "no_request"},
                    {"reason", "the lock has not asked to be unlocked since the hub started"}}));
    hub_.broker.deliver("lockhub/garage/set", "DENY");
    hub_.scheduler.settle();
    EXPECT_EQ(json::parse(hub_.broker.payloadsOn("lockhub/garage/set/result").back()),
              (json{{"state", "DENY"},
                    {"result", "rejected"},
                    {"reason", "no paired lock is called \"garage\""}}));
    request();
    set(R"({"state": "APPROVE", "code": 5, "transaction": 9})");
    EXPECT_EQ(results().back(), (json{{"state", "APPROVE"},
                                      {"result", "rejected"},
                                      {"reason", "/code: unknown key"},
                                      {"transaction", 9}}));
    // Still open: the bad message answered nothing.
    set("APPROVE");
    EXPECT_EQ(writes(), 1u);
    // Anything else on /set is CommandService's, as before.
    set(R"({"state": "OPEN"})");
    EXPECT_EQ(results().back()["result"], "rejected");
    EXPECT_NE(results().back()["reason"].get<std::string>().find("/state"), std::string::npos);
}

// The lock re-sends a record whose ack it missed, and two requests within one second of its clock
// are the same record: either way, the same DP, value and lock time is the request already known.
TEST_F(UnlockRequestsTest, TheSameRequestRecordAgainNeitherReopensNorRepeatsTheRequest) {
    const auto asked = lockNow();
    const auto first = request();
    set("APPROVE");
    ASSERT_EQ(writes(), 1u);
    hub_.radio.report(kFrontMac, {Dp::raw(6, {1, 0})});  // the unlock's reply
    hub_.scheduler.settle();
    const auto events = hub_.broker.payloadsOn("lockhub/front/event").size();

    hub_.radio.report(kFrontMac, {Dp::integer(68, 60)}, at(asked));
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.broker.payloadsOn("lockhub/front/event").size(), events) << "stored once";
    set("APPROVE");
    EXPECT_EQ(writes(), 1u) << "one request, one unlock";
    EXPECT_EQ(results().back()["result"], "already_answered") << results().back();
    EXPECT_NE(
        results().back()["reason"].get<std::string>().find(first["event_id"].get<std::string>()),
        std::string::npos)
        << results().back();
}

TEST_F(UnlockRequestsTest, ARequestReplayedFromTheBacklogArrivesExpired) {
    hub_.scheduler.advance(1h);
    hub_.radio.report(kFrontMac, {Dp::integer(68, 60)}, at(1700000000));
    hub_.scheduler.settle();
    EXPECT_EQ(hub_.lastJson("lockhub/front/event")["expires"], "2023-11-14T22:14:20.000Z");
    set("APPROVE");
    EXPECT_EQ(results().back()["result"], "expired");
}

}  // namespace
}  // namespace lockhub
