// PairingService: lock/pair proves the keys with a handshake before storing anything, and
// lock/list, lock/rename and lock/remove answer from the registry and the store.
#include <gtest/gtest.h>

#include "app/PairingService.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using test::kFrontMac;

class PairingServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        hub_.radio.addLock(kFrontMac, test::lockSideOf("5a"));
        hub_.start();
    }
    nlohmann::json request(const std::string& op, const nlohmann::json& body,
                           std::chrono::milliseconds wait = 100ms) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_.scheduler.advance(wait);
        return hub_.lastJson("lockhub/bridge/response/" + op);
    }
    static nlohmann::json pairing(const std::string& localKey = "a3f6b2c4d5e6f708") {
        return {{"mac", "dc:23:4d:00:00:01"}, {"uuid", "tuyab10f2d3c4e5a"},
                {"local_key", localKey},      {"device_id", "bf1234567890abcdef5a"},
                {"name", "Front Door"},       {"transaction", "p1"}};
    }

    test::ServiceHarness hub_;
};

TEST_F(PairingServiceTest, APairingThatCompletesTheHandshakeIsStoredAndListed) {
    hub_.radio.advertise(kFrontMac);
    const auto response = request("lock/pair", pairing(), 2s);
    ASSERT_EQ(response["status"], "ok") << response.dump();
    EXPECT_EQ(response["transaction"], "p1");
    EXPECT_EQ(response["data"]["lock"], "front-door");
    EXPECT_EQ(response["data"]["mac"], kFrontMac);
    EXPECT_EQ(hub_.store.locks().value().size(), 1u);
    ASSERT_NE(hub_.registry.byTopic("front-door"), nullptr);
    hub_.scheduler.advance(1s);
    const auto list = request("lock/list", nlohmann::json::object());
    ASSERT_EQ(list["data"]["locks"].size(), 1u);
    EXPECT_EQ(list["data"]["locks"][0]["available"], true);
    EXPECT_EQ(list["data"]["locks"][0]["link"], "ready");
}

TEST_F(PairingServiceTest, WrongKeysStoreNothing) {
    hub_.radio.advertise(kFrontMac);
    const auto response = request("lock/pair", pairing("zzzzzzzzzzzzzzzz"), 20s);
    ASSERT_EQ(response["status"], "error");
    EXPECT_EQ(response["error"]["code"], "auth_failed");
    EXPECT_TRUE(hub_.store.locks().value().empty());
    EXPECT_EQ(hub_.registry.byTopic("front-door"), nullptr);
}

TEST_F(PairingServiceTest, ALockNotInRangeIsNotFound) {
    const auto response = request("lock/pair", pairing(), 10s);
    ASSERT_EQ(response["status"], "error");
    EXPECT_EQ(response["error"]["code"], "not_found");
}

TEST_F(PairingServiceTest, RenameAndRemoveChangeTheStoreAndClearTheRetainedTopics) {
    hub_.radio.advertise(kFrontMac);
    ASSERT_EQ(request("lock/pair", pairing(), 2s)["status"], "ok");
    const auto renamed =
        request("lock/rename", {{"lock", "front-door"}, {"name", "Main entrance"}});
    EXPECT_EQ(renamed["data"]["name"], "Main entrance");
    EXPECT_EQ(hub_.store.locks().value().at(0).name, "Main entrance");
    const auto removed = request("lock/remove", {{"lock", "front-door"}});
    EXPECT_EQ(removed["status"], "ok");
    EXPECT_TRUE(hub_.store.locks().value().empty());
    EXPECT_EQ(hub_.registry.byTopic("front-door"), nullptr);
    EXPECT_EQ(hub_.broker.on("lockhub/front-door/state").back().payload, "");
    EXPECT_TRUE(hub_.broker.on("lockhub/front-door/state").back().retained);
    EXPECT_EQ(request("lock/remove", {{"lock", "front-door"}})["error"]["code"], "not_found");
}

TEST_F(PairingServiceTest, ARepeatedPairingTransactionIsAnsweredAgainWithoutASecondAttempt) {
    hub_.radio.advertise(kFrontMac);
    const auto first = request("lock/pair", pairing(), 2s);
    ASSERT_EQ(first["status"], "ok");
    const auto attempts = hub_.radio.connectAttempts;
    const auto again = request("lock/pair", pairing(), 2s);
    EXPECT_EQ(again, first);  // not "already paired"
    EXPECT_EQ(hub_.radio.connectAttempts, attempts);
}

TEST_F(PairingServiceTest, EachLockHasItsOwnPolicyFromPairingOnAndListShowsIt) {
    hub_.radio.advertise(kFrontMac);
    auto body = pairing();
    body["policy"] = {{"mode", "on_demand"}, {"poll_interval_s", 600}};
    ASSERT_EQ(request("lock/pair", body, 2s)["status"], "ok");
    const auto stored = hub_.store.locks().value().at(0).policy;
    EXPECT_EQ(stored.mode, "on_demand");
    EXPECT_EQ(stored.pollIntervalS, 600);
    EXPECT_FALSE(stored.keepAliveS);  // the configuration's default
    EXPECT_EQ(hub_.radio.discovering, 1) << "an on-demand lock is listened for";

    auto listed = request("lock/list", nlohmann::json::object())["data"]["locks"][0]["policy"];
    EXPECT_EQ(listed, (nlohmann::json{{"mode", "on_demand"},
                                      {"keep_alive_s", 30},
                                      {"poll_interval_s", 600},
                                      {"availability_timeout_s", 0}}));
    const auto changed = request(
        "lock/set_policy", {{"lock", "front-door"}, {"mode", "always"}, {"transaction", "s1"}});
    ASSERT_EQ(changed["status"], "ok") << changed.dump();
    EXPECT_EQ(changed["data"]["policy"]["mode"], "always");
    EXPECT_EQ(changed["data"]["policy"]["poll_interval_s"], 3600);  // replaced, not merged
    EXPECT_EQ(hub_.store.locks().value().at(0).policy.mode, "always");
    EXPECT_EQ(hub_.radio.discovering, 0) << "a lock kept connected needs no scanning";

    const auto bad = request("lock/set_policy", {{"lock", "front-door"}, {"mode", "sometimes"}});
    EXPECT_EQ(bad["error"]["code"], "bad_request");
    EXPECT_EQ(request("lock/set_policy", {{"lock", "nope"}})["error"]["code"], "not_found");
}

TEST_F(PairingServiceTest, NoMoreLocksAreKeptConnectedThanThereAreConnectionSlots) {
    // The harness: `always` by default and 5 slots, all held by stored locks before the start.
    test::ServiceHarness full;
    for (int i = 1; i <= 5; ++i) {
        const std::string suffix = "0" + std::to_string(i);
        const std::string mac = "DC:23:4D:00:01:" + suffix;
        full.radio.addLock(mac, test::lockSideOf(suffix));
        ASSERT_TRUE(full.store.addLock(test::recordOf("l" + suffix, mac, suffix), 0).has_value());
    }
    full.radio.addLock(kFrontMac, test::lockSideOf("5a"));
    full.start();
    full.radio.advertise(kFrontMac);
    const auto ask = [&](const std::string& op, const nlohmann::json& body) {
        full.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        full.scheduler.advance(2s);
        return full.lastJson("lockhub/bridge/response/" + op);
    };
    const std::string refusal =
        "policy always: 5 locks are kept connected already, as many as "
        "bluetooth.max_connections allows; choose on_demand or keep_alive, or raise the limit";

    const auto attempts = full.radio.connectAttempts;
    const auto refused = ask("lock/pair", pairing());
    EXPECT_EQ(refused["error"]["code"], "limit_reached") << refused.dump();
    EXPECT_EQ(refused["error"]["message"], refusal);
    EXPECT_EQ(full.radio.connectAttempts, attempts) << "refused before any radio work";
    EXPECT_EQ(full.store.locks().value().size(), 5u);

    auto onDemand = pairing();
    onDemand["policy"] = {{"mode", "on_demand"}};
    onDemand["transaction"] = "p2";
    ASSERT_EQ(ask("lock/pair", onDemand)["status"], "ok");
    const auto keptConnected = ask("lock/set_policy", {{"lock", "front-door"}, {"mode", "always"}});
    EXPECT_EQ(keptConnected["error"]["code"], "limit_reached");
    EXPECT_EQ(keptConnected["error"]["message"], refusal);
    EXPECT_EQ(full.store.locks().value().back().policy.mode, "on_demand");
    // A lock already kept connected may change its other settings.
    EXPECT_EQ(ask("lock/set_policy",
                  {{"lock", "l01"}, {"mode", "always"}, {"poll_interval_s", 60}})["status"],
              "ok");
    // One slot given back, and it may be taken.
    ASSERT_EQ(ask("lock/set_policy", {{"lock", "l01"}, {"mode", "keep_alive"}})["status"], "ok");
    EXPECT_EQ(ask("lock/set_policy", {{"lock", "front-door"}, {"mode", "always"}})["status"], "ok");
}

TEST_F(PairingServiceTest, AScanListsTuyaLocksWithTheirGenerationAndHidesABoundLocksProduct) {
    hub_.radio.advertise(kFrontMac);
    const auto response = request("lock/scan", {{"duration_s", 1}}, 2s);
    ASSERT_EQ(response["status"], "ok") << response.dump();
    ASSERT_EQ(response["data"]["locks"].size(), 1u);
    const auto& lock = response["data"]["locks"][0];
    EXPECT_EQ(lock["mac"], kFrontMac);
    EXPECT_EQ(lock["protocol"], 3);
    EXPECT_EQ(lock["bound"], true);
    EXPECT_EQ(lock["product_id"], nullptr);
    EXPECT_EQ(lock["paired"], false);
}

}  // namespace
}  // namespace lockhub
