// HomeAssistant: the discovery documents Home Assistant sees, as golden files
// (tests/unit/app/golden/homeassistant/), when they are published, and that every key of every
// document published in any test is one HA's schema accepts (HaDiscoveryKeys.h). Set
// LOCKHUB_UPDATE_GOLDEN=1 to rewrite the golden files from the code, then review the diff.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>

#include "app/DiscoveryDocument.h"
#include "app/HomeAssistant.h"
#include "tests/unit/app/HaDiscoveryKeys.h"
#include "tests/unit/app/ServiceHarness.h"

namespace lockhub {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

const std::string kPrefix = "homeassistant";
const std::string kHubTopic = "homeassistant/device/lockhub_0123456789abcdef/config";
const std::string kFrontTopic = "homeassistant/device/lockhub_0123456789abcdef_front/config";

std::string goldenPath(const std::string& name) {
    return std::string(LOCKHUB_SOURCE_DIR) + "/tests/unit/app/golden/homeassistant/" + name;
}

void expectGolden(const std::string& name, const json& actual) {
    if (std::getenv("LOCKHUB_UPDATE_GOLDEN") != nullptr) {
        std::ofstream(goldenPath(name)) << actual.dump(4) << "\n";
    }
    std::ifstream in(goldenPath(name));
    ASSERT_TRUE(in) << goldenPath(name) << " is missing";
    const json expected = json::parse(in);
    EXPECT_EQ(actual, expected) << name << " differs; the code publishes:\n" << actual.dump(4);
}

json componentsOf(const json& document, const std::string& platform) {
    json out = json::object();
    for (const auto& [id, component] : document["components"].items()) {
        if (component["platform"] == platform) {
            out[id] = component;
        }
    }
    return out;
}

class HomeAssistantTest : public ::testing::Test {
protected:
    void TearDown() override {
        // Every document published, whenever: HA would reject or trim none of them.
        std::map<std::string, json> latest;
        for (const auto& message : hub_.broker.published) {
            if (!message.topic.starts_with(prefix_ + "/device/")) {
                continue;
            }
            EXPECT_TRUE(message.retained) << message.topic;
            EXPECT_EQ(message.qos, 1) << message.topic;
            if (message.payload.empty()) {
                latest.erase(message.topic);
                continue;
            }
            const auto document = json::parse(message.payload);
            test::HaDiscoveryChecker checker;
            EXPECT_EQ(checker.problems(document), std::vector<std::string>{})
                << message.topic << ": " << message.payload;
            latest[message.topic] = document;
        }
        // Unique ids are unique across the documents HA holds at the end.
        test::HaDiscoveryChecker all;
        for (const auto& [topic, document] : latest) {
            EXPECT_EQ(all.problems(document), std::vector<std::string>{}) << topic;
        }
    }

    HomeAssistantOptions options() {
        return {.enabled = true,
                .discoveryPrefix = prefix_,
                .baseTopic = "lockhub",
                .hubId = test::kHubId,
                .swVersion = "1.2.3",
                .supportUrl = "https://wiki.example.org/lockhub"};
    }
    void start(HomeAssistantOptions ha) {
        ha_.emplace(std::move(ha), hub_.registry, hub_.users, hub_.state, hub_.bridge, hub_.broker);
        hub_.startWithLock("front");
    }
    json request(const std::string& op, const json& body) {
        hub_.broker.deliver("lockhub/bridge/request/" + op, body.dump());
        hub_.scheduler.advance(10ms);
        auto response = hub_.lastJson("lockhub/bridge/response/" + op);
        EXPECT_EQ(response["status"], "ok") << op << " " << body.dump() << " → " << response;
        return response["data"];
    }
    json discovery(const std::string& topic = kFrontTopic) { return hub_.lastJson(topic); }
    // Alice holds fingerprint 3 and card 1 on front, Bob password 2.
    void aliceAndBob() {
        request("user/set", {{"name", "Alice"}});
        request("user/set", {{"name", "Bob"}});
        request(
            "credential/assign",
            {{"lock", "front"}, {"method", "fingerprint"}, {"credential", 3}, {"user", "Alice"}});
        request("credential/assign",
                {{"lock", "front"}, {"method", "card"}, {"credential", 1}, {"user", "Alice"}});
        request("credential/assign",
                {{"lock", "front"}, {"method", "password"}, {"credential", 2}, {"user", "Bob"}});
    }

    std::string prefix_ = kPrefix;
    test::ServiceHarness hub_;
    std::optional<HomeAssistant> ha_;  // after the harness: destroyed first
};

TEST_F(HomeAssistantTest, ConnectingPublishesTheHubAndEachLockRetained) {
    start(options());
    expectGolden("hub.json", discovery(kHubTopic));
    expectGolden("lock.json", discovery());
    EXPECT_EQ(hub_.broker.on(kFrontTopic).size(), 1u) << "one document per connect";
}

TEST_F(HomeAssistantTest, TheLockShowsTheLockoutAsAttributesAndACodeLockoutProblemSensor) {
    start(options());
    const auto components = discovery()["components"];
    EXPECT_EQ(components["lock"]["json_attributes_topic"], "lockhub/front/lockout");
    EXPECT_FALSE(components["lock"].contains("json_attributes_template"))
        << "the payload is the attributes as it is";
    EXPECT_EQ(components["lockout"],
              (json{{"platform", "binary_sensor"},
                    {"unique_id", "lockhub_0123456789abcdef_front_lockout"},
                    {"name", "Code lockout"},
                    {"state_topic", "lockhub/front/lockout"},
                    {"value_template", "{{ 'ON' if value_json.active else 'OFF' }}"},
                    {"device_class", "problem"}}));
}

TEST_F(HomeAssistantTest, ARequiredCodeAddsCodeFormatAndACommandTemplateCarryingIt) {
    auto ha = options();
    ha.requireCode = true;
    start(ha);
    const auto withCode = discovery();
    expectGolden("lock-with-code.json", withCode);
    // Only the lock entity changes.
    auto without = lockDiscovery({.baseTopic = "lockhub",
                                  .hubId = test::kHubId,
                                  .swVersion = "1.2.3",
                                  .supportUrl = options().supportUrl},
                                 {.topic = "front",
                                  .name = "front",
                                  .mac = test::kFrontMac,
                                  .productId = "",
                                  .profile = hub_.registry.byTopic("front")->translator.profile(),
                                  .holders = {}});
    without["components"]["lock"]["code_format"] = withCode["components"]["lock"]["code_format"];
    without["components"]["lock"]["command_template"] =
        withCode["components"]["lock"]["command_template"];
    EXPECT_EQ(without, withCode);
}

TEST_F(HomeAssistantTest, WithoutASupportUrlTheOriginHasNone) {
    auto ha = options();
    ha.supportUrl.clear();
    start(ha);
    EXPECT_EQ(discovery(kHubTopic)["origin"], (json{{"name", "lockhub"}, {"sw_version", "1.2.3"}}));
    EXPECT_EQ(discovery()["origin"], (json{{"name", "lockhub"}, {"sw_version", "1.2.3"}}));
}

TEST_F(HomeAssistantTest, WithoutACodeTheLockSendsHomeAssistantsBareLockAndUnlock) {
    start(options());
    const auto lock = discovery()["components"]["lock"];
    EXPECT_FALSE(lock.contains("code_format"));
    EXPECT_FALSE(lock.contains("command_template"));
    // What CommandService takes as a bare word (docs/mqtt-api.md "<lock>/set results").
    EXPECT_EQ(lock["payload_lock"], "LOCK");
    EXPECT_EQ(lock["payload_unlock"], "UNLOCK");
}

TEST_F(HomeAssistantTest, AProfileWithoutADoorSensorHasNoDoorEntity) {
    start(options());
    domain::DpProfile noDoor = hub_.registry.byTopic("front")->translator.profile();
    std::erase_if(noDoor.dps,
                  [](const domain::DpSpec& dp) { return dp.role == domain::DpRole::Door; });
    noDoor.name = "no-door";
    const DiscoveryContext context{.baseTopic = "lockhub",
                                   .hubId = test::kHubId,
                                   .swVersion = "1.2.3",
                                   .supportUrl = options().supportUrl};
    const auto document = lockDiscovery(context, {.topic = "front",
                                                  .name = "front",
                                                  .mac = test::kFrontMac,
                                                  .productId = "",
                                                  .profile = noDoor,
                                                  .holders = {}});
    expectGolden("lock-without-door.json", document);
    test::HaDiscoveryChecker checker;
    EXPECT_EQ(checker.problems(document), std::vector<std::string>{});
    auto withDoor = discovery();
    EXPECT_TRUE(withDoor["components"].contains("door"));
    withDoor["components"].erase("door");
    withDoor["device"]["model"] = "no-door";
    EXPECT_EQ(document, withDoor) << "the door is the only difference";
}

TEST_F(HomeAssistantTest, TheEventEntityCoversEveryUnlockMethodOfTheProfileAndTheOtherEvents) {
    start(options());
    const auto event = discovery()["components"]["event"];
    expectGolden("event-entity.json", event);
    std::vector<std::string> expected;
    for (const auto& dp : hub_.registry.byTopic("front")->translator.profile().dps) {
        if (dp.role == domain::DpRole::UnlockRecord) {
            expected.push_back("unlock_" + std::string(domain::unlockMethodName(*dp.method)));
        }
    }
    expected.push_back("unlock_offline");  // DP 67, an offline code that unlocks
    for (const char* kind : {"lock", "alarm", "duress", "doorbell", "wrong_code"}) {
        expected.push_back(kind);
    }
    auto types = event["event_types"].get<std::vector<std::string>>();
    std::ranges::sort(types);
    std::ranges::sort(expected);
    EXPECT_EQ(types, expected);
    EXPECT_EQ(event["state_topic"], "lockhub/front/event");
}

TEST_F(HomeAssistantTest, EachUnlockMethodHasADeviceTrigger) {
    start(options());
    const auto triggers = componentsOf(discovery(), "device_automation");
    expectGolden("method-triggers.json", triggers);
    EXPECT_EQ(triggers["unlocked_with_fingerprint"],
              (json{{"platform", "device_automation"},
                    {"automation_type", "trigger"},
                    {"topic", "lockhub/front/event"},
                    {"type", "unlocked_with"},
                    {"subtype", "fingerprint"},
                    {"value_template", "{{ value_json.event }}:{{ value_json.get('method') }}"},
                    {"payload", "unlock:fingerprint"}}));
}

TEST_F(HomeAssistantTest, EachUserHoldingACredentialOnTheLockHasAnUnlockedByTrigger) {
    start(options());
    aliceAndBob();
    json byUser = json::object();
    const auto triggers = componentsOf(discovery(), "device_automation");
    for (const auto& [id, trigger] : triggers.items()) {
        if (trigger["type"] == "unlocked_by") {
            byUser[id] = trigger;
        }
    }
    expectGolden("user-triggers.json", byUser);
    EXPECT_EQ(byUser.size(), 2u);
    // A user without a credential here gets no trigger on this lock.
    request("user/set", {{"name", "Carol"}});
    EXPECT_FALSE(discovery()["components"].contains("unlocked_by_user_3"));
}

TEST_F(HomeAssistantTest, ARenameRepublishesTheSameTriggerWithTheNewName) {
    start(options());
    aliceAndBob();
    const auto before = hub_.broker.on(kFrontTopic).size();
    request("user/set", {{"user", 1}, {"name", "Alicia"}});
    ASSERT_EQ(hub_.broker.on(kFrontTopic).size(), before + 1) << "one document, no removal";
    expectGolden("user-renamed.json", discovery()["components"]["unlocked_by_user_1"]);
    EXPECT_EQ(discovery()["components"]["unlocked_by_user_1"]["subtype"], "Alicia");
}

TEST_F(HomeAssistantTest, RenamingALockRepublishesItsDocumentAtOnceWithTheNewDeviceName) {
    start(options());
    auto expected = discovery();
    ASSERT_EQ(expected["device"]["name"], "front");
    expected["device"]["name"] = "Front Door";
    const auto before = hub_.broker.on(kFrontTopic).size();
    const auto hubBefore = hub_.broker.on(kHubTopic).size();
    request("lock/rename", {{"lock", "front"}, {"name", "Front Door"}});
    ASSERT_EQ(hub_.broker.on(kFrontTopic).size(), before + 1);
    EXPECT_EQ(discovery(), expected) << "only the device name changes; the ids stay";
    EXPECT_EQ(hub_.broker.on(kHubTopic).size(), hubBefore);
    request("lock/rename", {{"lock", "front"}, {"name", "Front Door"}});
    EXPECT_EQ(hub_.broker.on(kFrontTopic).size(), before + 1) << "the same name again: no change";
}

TEST_F(HomeAssistantTest, UnchangedUsersRepublishNothing) {
    start(options());
    aliceAndBob();
    const auto before = hub_.broker.on(kFrontTopic).size();
    request("user/set", {{"name", "Carol"}});  // holds nothing on front
    EXPECT_EQ(hub_.broker.on(kFrontTopic).size(), before);
}

TEST_F(HomeAssistantTest, RemovingAUserTellsHomeAssistantToDropTheirTriggerThenOmitsIt) {
    start(options());
    aliceAndBob();
    const auto before = hub_.broker.on(kFrontTopic).size();
    // Not at the lock: this is about the triggers, not the lock's DP 2 exchange.
    request("user/remove", {{"user", "Alice"}, {"at_lock", false}});
    const auto messages = hub_.broker.on(kFrontTopic);
    ASSERT_EQ(messages.size(), before + 2);
    const auto removing = json::parse(messages[before].payload);
    const auto after = json::parse(messages[before + 1].payload);
    json triggersAfter = json::array();
    const auto triggers = componentsOf(after, "device_automation");
    for (const auto& [id, trigger] : triggers.items()) {
        triggersAfter.push_back(id);
    }
    expectGolden("user-removed.json", {{"first", removing["components"]["unlocked_by_user_1"]},
                                       {"then_triggers", triggersAfter}});
    EXPECT_EQ(removing["components"]["unlocked_by_user_1"],
              (json{{"platform", "device_automation"}}));
    EXPECT_FALSE(after["components"].contains("unlocked_by_user_1"));
    EXPECT_TRUE(after["components"].contains("unlocked_by_user_2"));
    auto rest = removing;
    rest["components"].erase("unlocked_by_user_1");
    EXPECT_EQ(rest, after) << "the first message differs only by the removal";
}

TEST_F(HomeAssistantTest, RemovingALockClearsItsDiscoveryWithAnEmptyRetainedPayload) {
    start(options());
    request("lock/remove", {{"lock", "front"}});
    const auto messages = hub_.broker.on(kFrontTopic);
    ASSERT_FALSE(messages.empty());
    EXPECT_EQ(messages.back().payload, "");
    EXPECT_TRUE(messages.back().retained);
    // Home Assistant coming back does not bring it back.
    hub_.broker.deliver(kPrefix + "/status", "online");
    EXPECT_EQ(hub_.broker.on(kFrontTopic).back().payload, "");
    EXPECT_EQ(hub_.broker.on(kHubTopic).size(), 2u) << "the hub's own device stays";
}

TEST_F(HomeAssistantTest, HomeAssistantOnlineRepublishesEveryDocumentThenTheRetainedStates) {
    start(options());
    hub_.broker.published.clear();
    hub_.broker.deliver(kPrefix + "/status", "offline");
    EXPECT_TRUE(hub_.broker.published.empty()) << "offline asks for nothing";
    hub_.broker.deliver(kPrefix + "/status", "online");
    std::vector<std::string> topics;
    for (const auto& message : hub_.broker.published) {
        EXPECT_TRUE(message.retained) << message.topic;
        topics.push_back(message.topic);
    }
    EXPECT_EQ(topics,
              (std::vector<std::string>{kHubTopic, kFrontTopic, "lockhub/front/availability",
                                        "lockhub/front/state"}));
    EXPECT_EQ(hub_.broker.on(kFrontTopic).back().payload,
              hub_.broker.on(kFrontTopic).front().payload);
}

TEST_F(HomeAssistantTest, TheStatusTopicFollowsTheConfiguredPrefix) {
    prefix_ = "ha/disc";
    start(options());
    EXPECT_NE(std::ranges::find(hub_.broker.subscriptions, "ha/disc/status"),
              hub_.broker.subscriptions.end());
    EXPECT_FALSE(hub_.broker.on("ha/disc/device/lockhub_0123456789abcdef_front/config").empty());
    EXPECT_TRUE(hub_.broker.on(kFrontTopic).empty());
    hub_.broker.published.clear();
    hub_.broker.deliver(kPrefix + "/status", "online");
    EXPECT_TRUE(hub_.broker.published.empty()) << "the default prefix is not ours now";
    hub_.broker.deliver("ha/disc/status", "online");
    EXPECT_FALSE(hub_.broker.published.empty());
}

TEST_F(HomeAssistantTest, DisabledPublishesAndSubscribesToNothing) {
    auto ha = options();
    ha.enabled = false;
    start(ha);
    aliceAndBob();
    hub_.broker.deliver(kPrefix + "/status", "online");
    request("lock/remove", {{"lock", "front"}});
    for (const auto& message : hub_.broker.published) {
        EXPECT_FALSE(message.topic.starts_with(kPrefix + "/")) << message.topic;
    }
    for (const auto& filter : hub_.broker.subscriptions) {
        EXPECT_FALSE(filter.starts_with(kPrefix + "/")) << filter;
    }
}

TEST_F(HomeAssistantTest, TheKeyCheckRejectsWhatHomeAssistantWould) {
    start(options());
    auto document = discovery();
    document["object_id"] = "front";                       // unknown at the root
    document["device"]["firmware"] = "1";                  // unknown in the device
    document["availability"][0]["qos"] = 1;                // unknown in an entry
    document["components"]["battery"].erase("unique_id");  // an entity without one
    document["components"]["door"]["object_id"] = "door";  // dropped by HA
    document["components"]["event"]["event_types"] = json::array();
    test::HaDiscoveryChecker checker;
    EXPECT_EQ(checker.problems(document),
              (std::vector<std::string>{
                  "/object_id: not a key Home Assistant accepts here",
                  "/device/firmware: not a key Home Assistant accepts here",
                  "/availability/qos: not a key Home Assistant accepts here",
                  "/components/battery: an entity component needs a unique_id",
                  "/components/door/object_id: not a key of HA's binary_sensor schema",
                  "/components/event/event_types: must be a non-empty list of strings",
              }));
}

}  // namespace
}  // namespace lockhub
