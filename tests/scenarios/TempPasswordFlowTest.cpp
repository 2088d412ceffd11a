// Online temporary passwords end to end (issue 11 §6): temp_password/* over MQTT to a real
// lockhubd, pushed over BLE (DP 51/52) into lockhub-sim's firmware, typed on its keypad, and the
// attributed unlock event; the limit of 10; the queue for a lock out of range, also across a
// daemon restart. SimulatedHub's secrets canary watches every password: none may reach the
// database files, the logs or a message the hub published.
#include <gtest/gtest.h>

#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class TempPasswordFlow : public ::testing::Test {
protected:
    void SetUp() override {
        auto paired = hub_.pair(0, "Front Door");
        ASSERT_EQ(paired["status"], "ok") << paired.dump();
        ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }));
    }
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    json create(const std::string& name, const std::string& password, int uses = 0) {
        hub_.watchCode(password);
        return hub_.request("temp_password/create", {{"lock", "front-door"},
                                                     {"name", name},
                                                     {"password", password},
                                                     {"start", isoUtc(unixNow() - 3600)},
                                                     {"end", isoUtc(unixNow() + 86400)},
                                                     {"uses", uses}});
    }
    // The first temp_password event for `id` in `state`.
    bool waitState(std::int64_t id, const std::string& state,
                   std::chrono::milliseconds timeout = 15s) {
        return hub_.probe()
            .waitFor("lockhub/front-door/event", timeout,
                     [&](const ReceivedMessage& m) {
                         const auto event = json::parse(m.payload, nullptr, false);
                         return event.value("event", "") == "temp_password" &&
                                event.value("id", 0) == id && event.value("state", "") == state;
                     })
            .has_value();
    }
    std::string listedState(std::int64_t id) {
        const auto listed = hub_.request("temp_password/list", {{"lock", "front-door"}});
        for (const auto& entry : listed["data"]["temp_passwords"]) {
            if (entry["id"] == id) {
                return entry["state"];
            }
        }
        return "absent";
    }
    int type(const std::string& digits) {
        hub_.ctl({"time", "lock1", std::to_string(unixNow())});
        const auto outcome = json::parse(hub_.ctl({"keypad", "lock1", digits}));
        return outcome.at("result_code").get<int>();
    }

    SimulatedHub hub_{codeHubOptions()};
};

TEST_F(TempPasswordFlow, TenFitTheEleventhIsRefusedADeleteFreesASlotAndTwoUsesOpenTwice) {
    std::vector<std::int64_t> ids;
    for (int i = 0; i < 10; ++i) {
        const auto created =
            create("Guest " + std::to_string(i), "40000" + std::to_string(i), i == 0 ? 2 : 0);
        ASSERT_EQ(created["status"], "ok") << created.dump();
        EXPECT_EQ(created["data"]["state"], "pending");
        EXPECT_FALSE(created["data"].contains("password"));
        ids.push_back(created["data"]["id"]);
    }
    for (auto id : ids) {
        ASSERT_TRUE(waitState(id, "active")) << "password " << id;
    }
    EXPECT_EQ(hub_.inspect("lock1")["temp_passwords"].size(), 10u);
    const auto refused = create("Eleventh", "499999");
    EXPECT_EQ(refused["status"], "error");
    EXPECT_EQ(refused["error"]["code"], "limit_reached");

    const auto deleted = hub_.request("temp_password/delete", {{"id", ids[9]}});
    ASSERT_EQ(deleted["status"], "ok") << deleted.dump();
    ASSERT_TRUE(waitState(ids[9], "gone"));
    EXPECT_EQ(hub_.inspect("lock1")["temp_passwords"].size(), 9u);
    const auto again = create("Eleventh", "499999");
    ASSERT_EQ(again["status"], "ok") << again.dump();
    ASSERT_TRUE(waitState(again["data"]["id"], "active"));
    // code/revoke takes a temporary password too, and deletes it at the lock the same way.
    const auto revoked =
        hub_.request("code/revoke", {{"lock", "front-door"}, {"temp_password", ids[8]}});
    ASSERT_EQ(revoked["status"], "ok") << revoked.dump();
    EXPECT_EQ(revoked["data"]["state"], "deleting");
    ASSERT_TRUE(waitState(ids[8], "gone"));
    EXPECT_EQ(hub_.inspect("lock1")["temp_passwords"].size(), 9u);

    // Guest 0 has two uses: the lock opens twice, then refuses it.
    EXPECT_EQ(type("400000"), 0);
    auto event = hub_.probe().waitFor("lockhub/front-door/event", 15s, [](const auto& m) {
        const auto e = json::parse(m.payload, nullptr, false);
        return e.value("event", "") == "unlock" && e.value("method", "") == "temporary";
    });
    ASSERT_TRUE(event);
    const auto unlock = json::parse(event->payload);
    EXPECT_EQ(unlock["code"], (json{{"id", ids[0]}, {"name", "Guest 0"}, {"type", "temporary"}}));
    EXPECT_EQ(type("400000"), 0);
    EXPECT_NE(type("400000"), 0) << "used up";

    // Confirmed by the lock: only the keyed hash is left in the database.
    std::this_thread::sleep_for(1s);
    const auto bytes = hub_.storedBytes();
    for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(bytes.find("40000" + std::to_string(i)), std::string::npos) << i;
    }
}

TEST_F(TempPasswordFlow, ALockOutOfRangeKeepsItPendingAcrossARestartUntilItReturns) {
    hub_.ctl({"out-of-range", "lock1"});
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "offline"; }));
    const auto created = create("Cleaner", "5182736", 0);
    ASSERT_EQ(created["status"], "ok") << created.dump();
    const std::int64_t id = created["data"]["id"];
    std::this_thread::sleep_for(3s);
    EXPECT_EQ(listedState(id), "pending");

    hub_.stopDaemon();
    hub_.startDaemon();
    EXPECT_EQ(listedState(id), "pending") << "still queued after the restart";
    EXPECT_TRUE(hub_.inspect("lock1")["temp_passwords"].empty());

    hub_.ctl({"in-range", "lock1"});
    ASSERT_TRUE(waitState(id, "active", 150s));
    EXPECT_EQ(hub_.inspect("lock1")["temp_passwords"].size(), 1u);
    EXPECT_EQ(type("5182736"), 0);
}

}  // namespace
}  // namespace lockhub::testing
