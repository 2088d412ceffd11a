// Home Assistant's view of the real stack (lockhub-sim, mosquitto, lockhubd): what a Home
// Assistant joining the broker later finds retained, and whether a real unlock fires the device
// trigger and the event entity it was told about. The templates are rendered by Jinja2 the way
// HA renders them (ha_template.py), so the test judges the documents, not our reading of them.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "scenarios/SimulatedHub.h"
#include "support/TempDir.h"

namespace lockhub::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class HomeAssistantFlow : public ::testing::Test {
protected:
    void TearDown() override {
        if (HasFailure()) {
            std::cerr << hub_.diagnostics();
        }
    }

    // What HA's MQTT code makes of `payload` with `valueTemplate`.
    std::string render(const std::string& valueTemplate, const std::string& payload) {
        const auto& dir = renderDir_.path();
        const auto name = "ha-template-" + std::to_string(renders_++);
        std::ofstream(dir / (name + ".tpl")) << valueTemplate;
        std::ofstream(dir / (name + ".json")) << payload;
        Process python(name,
                       {"python3", LOCKHUB_HA_TEMPLATE, (dir / (name + ".tpl")).string(),
                        (dir / (name + ".json")).string()},
                       dir);
        const auto status = python.waitExit(20s);
        EXPECT_TRUE(status && status->exited && status->code == 0) << describe(python);
        return python.stdoutText();
    }

    SimulatedHub hub_;
    TempDir renderDir_;  // this test's own: Process appends to <name>.out
    int renders_ = 0;
};

TEST_F(HomeAssistantFlow, APairedLockIsDiscoveredRetainedAndAlicesFingerprintFiresHerTrigger) {
    const auto paired = hub_.pair(0, "Front Door");
    ASSERT_EQ(paired["status"], "ok") << paired.dump();
    ASSERT_TRUE(hub_.probe().waitFor("lockhub/front-door/availability", 20s,
                                     [](const auto& m) { return m.payload == "online"; }));
    const auto alice = hub_.request("user/set", {{"name", "Alice"}});
    ASSERT_EQ(alice["status"], "ok") << alice.dump();
    const auto aliceId = alice["data"]["id"].get<std::int64_t>();
    const auto assigned = hub_.request(
        "credential/assign",
        {{"lock", "front-door"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
    ASSERT_EQ(assigned["status"], "ok") << assigned.dump();

    const auto info = hub_.probe().waitFor("lockhub/bridge/info", 10s);
    ASSERT_TRUE(info);
    const std::string hubId = json::parse(info->payload)["hub_id"];
    const std::string topic = "homeassistant/device/lockhub_" + hubId + "_front-door/config";
    const std::string aliceTrigger = "unlocked_by_user_" + std::to_string(aliceId);

    // Home Assistant starting now subscribes and gets the retained documents.
    MqttProbe homeAssistant(hub_.broker().uri(), "homeassistant/#");
    const auto discovered = homeAssistant.waitFor(topic, 10s, [&](const ReceivedMessage& m) {
        const auto doc = json::parse(m.payload, nullptr, false);
        return m.retained && doc.is_object() && doc["components"].contains(aliceTrigger);
    });
    ASSERT_TRUE(discovered) << "no retained discovery with Alice's trigger on " << topic;
    EXPECT_TRUE(homeAssistant.waitFor("homeassistant/device/lockhub_" + hubId + "/config", 5s,
                                      [](const ReceivedMessage& m) { return m.retained; }))
        << "the hub's own device";
    const auto document = json::parse(discovered->payload);
    EXPECT_EQ(document["device"]["via_device"], "lockhub_" + hubId);
    EXPECT_EQ(document["device"]["name"], "Front Door");
    const auto trigger = document["components"][aliceTrigger];
    EXPECT_EQ(trigger["type"], "unlocked_by");
    EXPECT_EQ(trigger["subtype"], "Alice");
    const auto byMethod = document["components"]["unlocked_with_fingerprint"];
    const auto entity = document["components"]["event"];

    // The lock's attributes and the Code lockout sensor read the level the hub retains: off.
    const auto lockout = document["components"]["lockout"];
    const std::string lockoutTopic = lockout["state_topic"];
    EXPECT_EQ(document["components"]["lock"]["json_attributes_topic"], lockoutTopic);
    MqttProbe level(hub_.broker().uri(), lockoutTopic);
    const auto retained =
        level.waitFor(lockoutTopic, 5s, [](const ReceivedMessage& m) { return m.retained; });
    ASSERT_TRUE(retained) << "nothing retained on " << lockoutTopic;
    EXPECT_EQ(retained->payload, R"({"active":false})");
    EXPECT_EQ(render(lockout["value_template"], retained->payload), "OFF");
    EXPECT_EQ(
        render(lockout["value_template"], R"({"active":true,"since":"2026-12-01T14:12:09.550Z",)"
                                          R"("until":"2026-12-01T14:13:10Z","duration_s":60})"),
        "ON");

    hub_.ctl({"fingerprint", "lock1", "3"});
    const auto event = hub_.probe().waitFor(trigger["topic"], 15s);
    ASSERT_TRUE(event) << "nothing on the trigger's topic " << trigger["topic"];
    EXPECT_FALSE(event->retained) << "HA's event entity ignores retained messages";

    // The device triggers fire: their template renders to their payload.
    EXPECT_EQ(render(trigger["value_template"], event->payload), trigger["payload"]);
    EXPECT_EQ(render(byMethod["value_template"], event->payload), byMethod["payload"]);
    // HA's event platform: a JSON object whose event_type is one of event_types; the rest are
    // the event's attributes.
    auto fired = json::parse(render(entity["value_template"], event->payload), nullptr, false);
    ASSERT_TRUE(fired.is_object()) << event->payload;
    EXPECT_EQ(fired["event_type"], "unlock_fingerprint");
    const auto& types = entity["event_types"];
    EXPECT_NE(std::find(types.begin(), types.end(), fired["event_type"]), types.end());
    EXPECT_EQ(fired["user"], (json{{"id", aliceId}, {"name", "Alice"}}));

    // Someone else's unlock does not fire Alice's trigger.
    auto other = json::parse(event->payload);
    other["user"] = nullptr;
    EXPECT_NE(render(trigger["value_template"], other.dump()), trigger["payload"]);
}

TEST_F(HomeAssistantFlow, RemovingTheLockClearsTheRetainedDiscovery) {
    ASSERT_EQ(hub_.pair(0, "Front Door")["status"], "ok");
    const auto info = hub_.probe().waitFor("lockhub/bridge/info", 10s);
    ASSERT_TRUE(info);
    const std::string topic = "homeassistant/device/lockhub_" +
                              json::parse(info->payload)["hub_id"].get<std::string>() +
                              "_front-door/config";
    MqttProbe before(hub_.broker().uri(), "homeassistant/#");
    ASSERT_TRUE(before.waitFor(topic, 10s));
    ASSERT_EQ(hub_.request("lock/remove", {{"lock", "front-door"}})["status"], "ok");
    ASSERT_TRUE(before.waitFor(topic, 10s, [](const auto& m) { return m.payload.empty(); }));
    MqttProbe after(hub_.broker().uri(), "homeassistant/#");
    EXPECT_TRUE(after.waitFor("homeassistant/device/lockhub_" +
                                  json::parse(info->payload)["hub_id"].get<std::string>() +
                                  "/config",
                              5s));
    EXPECT_TRUE(after.messagesOn(topic).empty()) << "nothing retained for the removed lock";
}

}  // namespace
}  // namespace lockhub::testing
