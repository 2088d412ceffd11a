// Attribution of the lock's code records (issue 11 part 5): the simulator's firmware (the lock's
// own rules) accepts a code issued over MQTT and reports DP 67/65/66 or DP 14; the hub publishes
// the event with the code's name, type and id, the user it was issued for, what a clear code
// cleared, and moves the states code/list shows.
#include <gtest/gtest.h>

#include "sim/firmware/LockFirmware.h"
#include "tests/unit/app/CodeHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
using test::at;
using test::CodeHarness;
using test::kFrontMac;

class CodeAttributionTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.startFront();
        ASSERT_EQ(hub_.request("user/set", {{"name", "Alice"}})["status"], "ok");
    }
    json issue(json body) {
        body["lock"] = "front";
        auto response = hub_.request("code/issue", body);
        EXPECT_EQ(response["status"], "ok") << response.dump();
        return response["data"];
    }
    // Types the code on the lock's keypad at `lockTime` and hands its records to the hub.
    int type(const json& code, std::int64_t lockTime) {
        sim::FirmwareOutput out;
        const auto outcome = firmware_.keypad(code.get<std::string>(), lockTime, out);
        for (const auto& record : out.records) {
            hub_.radio.report(kFrontMac, record, at(lockTime));
        }
        hub_.scheduler.advance(50ms);
        return outcome.resultCode;
    }
    json lastEvent() { return hub_.lastJson("lockhub/front/event"); }
    std::vector<std::string> states() {
        std::vector<std::string> out;
        const auto listed = hub_.request("code/list", {{"lock", "front"}});
        for (const auto& code : listed["data"]["codes"]) {
            out.push_back(code["state"]);
        }
        return out;
    }

    CodeHarness hub_;
    sim::LockFirmware firmware_{test::kLoginKey, static_cast<std::uint32_t>(test::kT0)};
};

TEST_F(CodeAttributionTest, AnOfflineUnlockNamesTheCodeAndItsUser) {
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"user", 1},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    ASSERT_EQ(type(timed["code"], test::kStartUtc + 60), 0);
    const auto event = lastEvent();
    EXPECT_EQ(event["event"], "unlock");
    EXPECT_EQ(event["method"], "offline");
    EXPECT_EQ(event["dp"], 67);
    EXPECT_EQ(event["code"], json({{"id", 1}, {"name", "Guest"}, {"type", "timed"}}));
    EXPECT_EQ(event["user"], json({{"id", 1}, {"name", "Alice"}}));
    EXPECT_FALSE(event.contains("candidates"));
    EXPECT_EQ(states(), std::vector<std::string>{"activated"});
}

TEST_F(CodeAttributionTest, ClearCodesNameWhatTheyCleared) {
    const auto timed = issue({{"type", "timed"},
                              {"name", "Guest"},
                              {"start", "2023-11-14T23:00:00Z"},
                              {"end", "2023-11-15T03:00:00Z"}});
    ASSERT_EQ(type(timed["code"], test::kStartUtc + 60), 0);
    const auto clear = hub_.request("code/revoke", {{"lock", "front"}, {"id", 1}})["data"];
    ASSERT_EQ(type(clear["code"], test::kStartUtc + 120), 1);
    auto event = lastEvent();
    EXPECT_EQ(event["event"], "code_used");
    EXPECT_EQ(event["code_action"], "clear_one");
    EXPECT_EQ(event["code"], json({{"id", 2}, {"name", "clear Guest"}, {"type", "clear_one"}}));
    EXPECT_EQ(event["cleared"], json::array({{{"id", 1}, {"name", "Guest"}, {"type", "timed"}}}));
    EXPECT_EQ(states(), (std::vector<std::string>{"cleared", "used"}));
    EXPECT_NE(type(timed["code"], test::kStartUtc + 180), 0) << "the lock refuses it now";
    EXPECT_EQ(hub_.errorOf("code/verify", {{"lock", "front"}, {"code", timed["code"]}}),
              "auth_failed")
        << "and so does the hub, which mirrored the lock's table";

    const auto second = issue({{"type", "timed"},
                               {"name", "Second"},
                               {"start", "2023-11-14T23:00:00Z"},
                               {"end", "2023-11-15T04:00:00Z"}});
    ASSERT_EQ(type(second["code"], test::kStartUtc + 200), 0);
    const auto clearAll = issue({{"type", "clear_all"}, {"name", "Reset"}});
    ASSERT_EQ(type(clearAll["code"], test::kStartUtc + 300), 2);
    event = lastEvent();
    EXPECT_EQ(event["code_action"], "clear_all");
    EXPECT_EQ(event["code"]["name"], "Reset");
    EXPECT_EQ(event["cleared"], json::array({{{"id", 3}, {"name", "Second"}, {"type", "timed"}}}));
    EXPECT_EQ(states(), (std::vector<std::string>{"cleared", "used", "cleared", "used"}));
}

TEST_F(CodeAttributionTest, ADynamicUnlockNamesTheCodesOfItsStepAndTheNeighbours) {
    const auto first = issue({{"type", "dynamic"}, {"name", "Courier"}});
    ASSERT_EQ(type(first["code"], test::kStartUtc + 30), 0);
    auto event = lastEvent();
    EXPECT_EQ(event["method"], "dynamic");
    EXPECT_EQ(event["code"], json({{"id", 1}, {"name", "Courier"}, {"type", "dynamic"}}));
    EXPECT_EQ(states(), std::vector<std::string>{"used"});

    hub_.scheduler.advance(5min);
    const auto second = issue({{"type", "dynamic"}, {"name", "Grocer"}});
    ASSERT_EQ(type(second["code"], test::kStartUtc + 330), 0);
    event = lastEvent();
    EXPECT_EQ(event["code"], json());
    EXPECT_EQ(event["candidates"],
              json::array({{{"id", 1}, {"name", "Courier"}, {"type", "dynamic"}},
                           {{"id", 2}, {"name", "Grocer"}, {"type", "dynamic"}}}));
}

TEST_F(CodeAttributionTest, ARecordOfACodeTheHubDidNotIssueNamesNoCode) {
    // A DP 67 record that does not decrypt with this lock's key (another lock's code).
    const std::vector<std::uint8_t> foreign(16, 0xab);
    hub_.radio.report(kFrontMac, {protocol::tuya::Dp::raw(67, foreign)}, at(test::kStartUtc));
    hub_.scheduler.advance(50ms);
    const auto event = lastEvent();
    EXPECT_EQ(event["event"], "unlock");
    EXPECT_EQ(event["code"], json());
}

}  // namespace
}  // namespace lockhub
