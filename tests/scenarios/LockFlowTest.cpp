// End to end, as a user sees it: locks in lockhub-sim behind the BlueZ D-Bus API, a real
// mosquitto, a real lockhubd. Pairing, events, commands, state, outages and restarts.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "scenarios/SimulatedHub.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class LockFlow : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    // Pairs both simulated locks and waits until they are online.
    void pairBoth() {
        auto front = hub_.pair(0, "Front Door");
        ASSERT_EQ(front["status"], "ok") << front.dump();
        EXPECT_EQ(front["data"]["lock"], "front-door");
        auto back = hub_.pair(1, "Back Door");
        ASSERT_EQ(back["status"], "ok") << back.dump();
        for (const char* lock : {"front-door", "back-door"}) {
            ASSERT_TRUE(hub_.probe().waitFor(std::string("lockhub/") + lock + "/availability", 20s,
                                             [](const auto& m) { return m.payload == "online"; }))
                << lock;
        }
    }

    std::vector<json> events(const std::string& lock) {
        std::vector<json> out;
        for (const auto& m : hub_.probe().messagesOn("lockhub/" + lock + "/event")) {
            out.push_back(parse(m));
        }
        return out;
    }

    std::optional<ReceivedMessage> waitState(const std::string& lock,
                                             const std::function<bool(const json&)>& match,
                                             std::chrono::milliseconds timeout = 15s) {
        return hub_.probe().waitFor("lockhub/" + lock + "/state", timeout,
                                    [&](const ReceivedMessage& m) { return match(parse(m)); });
    }

    SimulatedHub hub_;
};

TEST_F(LockFlow, FingerprintUnlockBecomesOneEventWithMethodAndCredential) {
    pairBoth();
    hub_.ctl({"fingerprint", "lock1", "3"});
    auto event = hub_.probe().waitFor("lockhub/front-door/event", 15s);
    ASSERT_TRUE(event);
    const auto payload = parse(*event);
    EXPECT_EQ(payload["event"], "unlock");
    EXPECT_EQ(payload["method"], "fingerprint");
    EXPECT_EQ(payload["credential"], 3);
    EXPECT_TRUE(payload["lock_time"].is_string());
    EXPECT_TRUE(payload["hub_time"].is_string());
    EXPECT_EQ(payload["event_id"].get<std::string>().size(), 16u);
    EXPECT_FALSE(event->retained);
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(events("front-door").size(), 1u) << "the event must arrive exactly once";
    EXPECT_TRUE(events("back-door").empty());
}

// Issue 10: the hub names who opened the door.
TEST_F(LockFlow, AFingerprintAssignedToAliceUnlocksAsAlice) {
    auto front = hub_.pair(0, "Front Door");
    ASSERT_EQ(front["status"], "ok") << front.dump();
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "online"; }));
    const auto alice = hub_.request("user/set", {{"name", "Alice"}});
    ASSERT_EQ(alice["status"], "ok") << alice.dump();
    const auto id = alice["data"]["id"];
    const auto assigned = hub_.request(
        "credential/assign",
        {{"lock", "front-door"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
    ASSERT_EQ(assigned["status"], "ok") << assigned.dump();
    hub_.ctl({"fingerprint", "lock1", "3"});
    auto event = hub_.probe().waitFor("lockhub/front-door/event", 15s);
    ASSERT_TRUE(event);
    const auto payload = parse(*event);
    EXPECT_EQ(payload["event"], "unlock");
    EXPECT_EQ(payload["credential"], 3);
    EXPECT_EQ(payload["user"], (json{{"id", id}, {"name", "Alice"}}));
}

TEST_F(LockFlow, MqttUnlockMovesTheMotorAndTheStateFollows) {
    pairBoth();
    hub_.probe().publish("lockhub/front-door/set", R"({"state": "UNLOCK", "transaction": "u1"})");
    auto result = hub_.probe().waitFor("lockhub/front-door/set/result", 20s);
    ASSERT_TRUE(result);
    EXPECT_EQ(parse(*result), json({{"state", "UNLOCK"}, {"result", "ok"}, {"transaction", "u1"}}));
    EXPECT_TRUE(waitState("front-door", [](const json& s) { return s["lock"] == "unlocked"; }));
    EXPECT_EQ(hub_.inspect("lock1")["locked"], false);
}

TEST_F(LockFlow, BatteryChangeReachesTheRetainedState) {
    pairBoth();
    hub_.ctl({"battery", "lock2", "42"});
    ASSERT_TRUE(waitState("back-door", [](const json& s) { return s["battery"] == 42; }));
    // A dashboard that connects now gets the state from the broker's retained copy.
    MqttProbe late(hub_.broker().uri(), "lockhub/back-door/state");
    auto state = late.waitFor("lockhub/back-door/state", 5s);
    ASSERT_TRUE(state);
    EXPECT_TRUE(state->retained);
    EXPECT_EQ(parse(*state)["battery"], 42);
}

TEST_F(LockFlow, OutOfRangeGoesOfflineTimesOutCommandsAndReplaysQueuedRecordsOnReturn) {
    pairBoth();
    hub_.ctl({"out-of-range", "lock1"});
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "offline"; }));
    EXPECT_TRUE(waitState("front-door", [](const json& s) { return s["lock"] == "unknown"; }))
        << "an unreachable lock's state must not stay locked/unlocked";

    hub_.probe().publish("lockhub/front-door/set", "UNLOCK");
    auto result = hub_.probe().waitFor("lockhub/front-door/set/result", 15s);
    ASSERT_TRUE(result);
    EXPECT_EQ(parse(*result)["result"], "timeout");

    // Records made while nobody listens wait in the lock and are replayed on the next link.
    hub_.ctl({"fingerprint", "lock1", "4"});
    hub_.ctl({"card", "lock1", "9"});
    EXPECT_EQ(hub_.inspect("lock1")["pending_records"].size(), 2u);
    hub_.ctl({"in-range", "lock1"});
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 90s,
                                     [](const auto& m) { return m.payload == "online"; }));
    ASSERT_TRUE(waitUntil([&] { return events("front-door").size() >= 2; }, 20s));
    std::this_thread::sleep_for(2s);
    const auto seen = events("front-door");
    ASSERT_EQ(seen.size(), 2u) << "no loss, no duplicates";
    EXPECT_EQ(seen[0]["method"], "fingerprint");
    EXPECT_EQ(seen[0]["credential"], 4);
    EXPECT_EQ(seen[1]["method"], "card");
    EXPECT_EQ(seen[1]["credential"], 9);
    EXPECT_TRUE(hub_.inspect("lock1")["pending_records"].empty());
}

TEST_F(LockFlow, BadPairingInputsGetTheDocumentedErrors) {
    auto lock = hub_.credentials(0);
    auto wrongKey = hub_.request("lock/pair", {{"mac", lock["mac"]},
                                               {"uuid", lock["uuid"]},
                                               {"local_key", "zzzzzzzzzzzzzzzz"},
                                               {"device_id", lock["device_id"]},
                                               {"protocol", lock["protocol"]},
                                               {"name", "Front"},
                                               {"transaction", "k"}});
    EXPECT_EQ(wrongKey["status"], "error");
    EXPECT_EQ(wrongKey["error"]["code"], "auth_failed") << wrongKey.dump();
    EXPECT_EQ(wrongKey["transaction"], "k");

    auto unknown = hub_.request("lock/pair", {{"mac", "DC:23:4D:99:99:99"},
                                              {"uuid", lock["uuid"]},
                                              {"local_key", lock["local_key"]},
                                              {"device_id", lock["device_id"]},
                                              {"name", "Ghost"}});
    EXPECT_EQ(unknown["error"]["code"], "not_found") << unknown.dump();

    auto missing = hub_.request("lock/pair", {{"mac", lock["mac"]}, {"name", "Front"}});
    EXPECT_EQ(missing["error"],
              json({{"code", "bad_request"}, {"message", "/uuid: required key is missing"}}));

    auto listed = hub_.request("lock/list", json::object());
    EXPECT_EQ(listed["data"]["locks"], json::array()) << "nothing is stored by a failed pairing";
    const auto log = hub_.daemon().process().stderrText();
    EXPECT_EQ(log.find(lock["local_key"].get<std::string>()), std::string::npos);
    EXPECT_EQ(log.find("zzzzzzzzzzzzzzzz"), std::string::npos);
}

TEST_F(LockFlow, ADaemonRestartReconnectsFromTheStoredPairing) {
    pairBoth();
    hub_.stopDaemon();
    hub_.probe().clear();
    hub_.startDaemon();
    for (const char* lock : {"front-door", "back-door"}) {
        EXPECT_TRUE(hub_.probe().waitFor(std::string("lockhub/") + lock + "/availability", 20s,
                                         [](const auto& m) { return m.payload == "online"; }))
            << lock;
    }
    auto listed = hub_.request("lock/list", json::object());
    ASSERT_EQ(listed["data"]["locks"].size(), 2u);
    hub_.ctl({"fingerprint", "lock2", "7"});
    auto event = hub_.probe().waitFor("lockhub/back-door/event", 15s);
    ASSERT_TRUE(event);
    EXPECT_EQ(parse(*event)["credential"], 7);
}

TEST_F(LockFlow, RecoversWithinTenSecondsOfBluezRestarting) {
    pairBoth();
    hub_.stopSim();
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/state", 10s, [](const auto& m) {
        return json::parse(m.payload, nullptr, false)["link"] != "ready";
    }));
    hub_.probe().clear();
    hub_.startSim();
    const auto restarted = std::chrono::steady_clock::now();
    ASSERT_TRUE(waitState(
        "front-door", [](const json& s) { return s["link"] == "ready"; }, 10s));
    EXPECT_LT(std::chrono::steady_clock::now() - restarted, 10s);
    hub_.ctl({"fingerprint", "lock1", "2"});
    EXPECT_TRUE(hub_.probe().waitFor("lockhub/front-door/event", 10s));
}

}  // namespace
}  // namespace lockhub::testing
