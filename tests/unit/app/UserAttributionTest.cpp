// Events carry the user (issue 10 item 2): the EventPipeline asks the UserDirectory whose
// credential an event used when the event arrives, so a rename shows in the next event only.
#include <gtest/gtest.h>

#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using protocol::tuya::Dp;
using test::at;
using test::kFrontMac;

constexpr std::int64_t kLockTime = 1700000100;

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
    void unlock(std::uint8_t dp, std::int64_t credential, std::int64_t lockTime) {
        hub_.radio.report(kFrontMac, {Dp::integer(dp, static_cast<std::uint32_t>(credential))},
                          at(lockTime));
        hub_.scheduler.settle();
    }

    test::ServiceHarness hub_;
};

TEST_F(UserAttributionTest, AnAssignedCredentialNamesItsUserAndAnyOtherNobody) {
    unlock(12, 3, kLockTime);      // fingerprint 3: Alice's
    unlock(12, 4, kLockTime + 1);  // fingerprint 4: nobody's
    unlock(13, 3, kLockTime + 2);  // password 3: another method, nobody's
    EXPECT_EQ(usersOfEvents(),
              (std::vector<json>{{{"id", 1}, {"name", "Alice"}}, nullptr, nullptr}));
}

TEST_F(UserAttributionTest, ARenameChangesTheNextEventAndNotTheOnesPublished) {
    unlock(12, 3, kLockTime);
    answer("user/set", {{"user", 1}, {"name", "Alicia"}});
    unlock(12, 3, kLockTime + 1);
    EXPECT_EQ(usersOfEvents(),
              (std::vector<json>{{{"id", 1}, {"name", "Alice"}}, {{"id", 1}, {"name", "Alicia"}}}));
}

TEST_F(UserAttributionTest, ARemovedUserOrCredentialNamesNobodyAnyMore) {
    answer("user/set", {{"name", "Bob"}});
    answer("credential/assign",
           {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}, {"user", "Bob"}});
    answer("user/remove", {{"user", "Alice"}});
    answer("credential/remove", {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 4}});
    unlock(12, 3, kLockTime);
    unlock(12, 4, kLockTime + 1);
    EXPECT_EQ(usersOfEvents(), (std::vector<json>{nullptr, nullptr}));
}

}  // namespace
}  // namespace lockhub
