// Events carry the user (issue 10 item 2): the EventPipeline asks the UserDirectory whose
// credential an event used when the event arrives, so a rename shows in the next event only; a
// duress credential's unlock also raises `duress`, and a flagged user's first unlock after the
// quiet period `arrived`.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr std::int64_t kAttributedLockTime = 1700000100;

class UserAttributionTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.startWithLock();
        answer("user/set", {{"name", "Alice"}});
        answer(
            "credential/assign",
            {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
    }
    json answer(const std::string& op, const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_.scheduler.advance(10ms);
        auto response = hub_.lastJson("lockhub/bridge/response/" + op);
        EXPECT_EQ(response["status"], "ok") << response;
        return response;
    }
    // The user of every event published so far, in order.
    std::vector<json> usersOfEvents() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            out.push_back(json::parse(payload)["user"]);
        }
        return out;
    }
    std::vector<json> events() {
        std::vector<json> out;
        for (const auto& payload : hub_.broker.payloadsOn("lockhub/front/event")) {
            out.push_back(json::parse(payload));
        }
        return out;
    }
    std::vector<std::string> kinds() {
        std::vector<std::string> out;
        for (const auto& event : events()) {
            out.push_back(event["event"]);
        }
        return out;
    }
    void unlock(std::uint8_t dp, std::int64_t credential,
                std::optional<std::int64_t> lockTime = std::nullopt) {
        hub_.radio.report(kFrontMac, {Dp::integer(dp, static_cast<std::int32_t>(credential))},
                          lockTime ? std::optional(at(*lockTime)) : std::nullopt);
        hub_.scheduler.settle();
    }

    test::ServiceHarness hub_;
};

TEST_F(UserAttributionTest, AnAssignedCredentialNamesItsUserAndAnyOtherNobody) {
    unlock(12, 3, kAttributedLockTime);      // fingerprint 3: Alice's
    unlock(12, 4, kAttributedLockTime + 1);  // fingerprint 4: nobody's
    unlock(13, 3, kAttributedLockTime + 2);  // password 3: another method, nobody's
    EXPECT_EQ(usersOfEvents(),
              (std::vector<json>{{{"id", 1}, {"name", "Alice"}}, nullptr, nullptr}));
}

TEST_F(UserAttributionTest, ARenameChangesTheNextEventAndNotTheOnesPublished) {
    unlock(12, 3, kAttributedLockTime);
    answer("user/set", {{"user", 1}, {"name", "Alicia"}});
    unlock(12, 3, kAttributedLockTime + 1);
    EXPECT_EQ(usersOfEvents(),
              (std::vector<json>{{{"id", 1}, {"name", "Alice"}}, {{"id", 1}, {"name", "Alicia"}}}));
}

TEST_F(UserAttributionTest, ARemovedUserOrCredentialNamesNobodyAnyMore) {
    answer("user/set", {{"name", "Bob"}});
    answer("credential/assign",
           {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}, {"user", "Bob"}});
    // Only the hub's knowledge matters here (deletion at the lock: UserDirectoryTest).
    answer("user/remove", {{"user", "Alice"}, {"at_lock", false}});
    answer("credential/remove",
           {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}, {"at_lock", false}});
    unlock(12, 3, kAttributedLockTime);
    unlock(12, 4, kAttributedLockTime + 1);
    EXPECT_EQ(usersOfEvents(), (std::vector<json>{nullptr, nullptr}));
}

TEST_F(UserAttributionTest, ADuressCredentialPublishesTheUnlockAndADuressEventOnceEach) {
    answer("credential/assign", {{"lock", "front"},
                                 {"method", "card"},
                                 {"credential", 5},
                                 {"user", "Alice"},
                                 {"duress", true}});
    unlock(15, 5, kAttributedLockTime);
    const auto published = events();
    ASSERT_EQ(published.size(), 2u);
    const json alice = {{"id", 1}, {"name", "Alice"}};
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(published[i]["event"], i == 0 ? "unlock" : "duress");
        EXPECT_EQ(published[i]["method"], "card");
        EXPECT_EQ(published[i]["credential"], 5);
        EXPECT_EQ(published[i]["user"], alice);
        EXPECT_EQ(published[i]["lock_time"], "2023-11-14T22:15:00Z");
        EXPECT_EQ(published[i]["dp"], 15);
    }
    EXPECT_NE(published[0]["event_id"], published[1]["event_id"]);
    EXPECT_EQ(hub_.storedRecords(), 2u);
    // A credential without the flag raises no duress.
    unlock(12, 3, kAttributedLockTime + 1);
    // The lock sends the duress card's record again (as after a lost acknowledgement and a
    // reconnect): the store knows both keys, so neither event is stored or published again.
    unlock(15, 5, kAttributedLockTime);
    EXPECT_EQ(hub_.storedRecords(), 3u);
    EXPECT_EQ(kinds(), (std::vector<std::string>{"unlock", "duress", "unlock"}));
}

TEST_F(UserAttributionTest, ArrivedFollowsOnlyAFlaggedUsersFirstUnlockAfterTheQuietPeriod) {
    answer("user/set", {{"name", "Bob"}});
    answer("credential/assign",
           {{"lock", "front"}, {"method", "password"}, {"credential", 1}, {"user", "Bob"}});
    answer("credential/assign",
           {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}, {"user", "Alice"}});
    unlock(12, 3);  // Alice, not flagged yet
    unlock(13, 1);  // Bob, never flagged
    answer("user/set", {{"user", 1}, {"name", "Alice"}, {"arrived", true}});
    hub_.scheduler.advance(1s);
    unlock(12, 4);  // Alice's first unlock since she asked: arrives
    hub_.scheduler.advance(1799s);
    unlock(12, 3);  // within the quiet period, by another finger: not again
    hub_.scheduler.advance(1800s);
    unlock(13, 1);  // Bob: never
    unlock(12, 4);  // 30 minutes after her last unlock: arrives again
    EXPECT_EQ(kinds(), (std::vector<std::string>{"unlock", "unlock", "unlock", "arrived", "unlock",
                                                 "unlock", "unlock", "arrived"}));
    const auto published = events();
    EXPECT_EQ(published[3]["user"], (json{{"id", 1}, {"name", "Alice"}}));
    EXPECT_EQ(published[3]["method"], "fingerprint");
    EXPECT_EQ(published[3]["credential"], 4);
}

}  // namespace
}  // namespace lockhub
