#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ctl/DevicesFile.h"

namespace lockhub::ctl {
namespace {

using nlohmann::json;

std::string sample() {
    std::ifstream in(std::string(LOCKHUB_SOURCE_DIR) + "/tests/integration/ctl/devices.json");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::vector<TuyaDevice> devices(const std::string& text) {
    auto parsed = parseDevicesFile(text, "devices.json");
    EXPECT_TRUE(parsed) << parsed.error().message;
    return parsed ? *parsed : std::vector<TuyaDevice>{};
}

TEST(CtlDevicesFile, ReadsTheFieldsALockNeedsFromTheWizardsFile) {
    const auto all = devices(sample());
    ASSERT_EQ(all.size(), 2u);
    const auto& lock = all[1];
    EXPECT_EQ(lock.name, "Back Door");
    EXPECT_EQ(lock.id, "bfykp87mrhsn9qhtm1xddl");
    EXPECT_EQ(lock.key.reveal(), "sdj32tjwbnxzg146");
    EXPECT_EQ(lock.mac, "dc:23:87:64:00:01");
    EXPECT_EQ(lock.uuid, "tuya02d0fff64058");
    EXPECT_EQ(lock.productId, "pdlqumdp");
    EXPECT_EQ(pairRequestFor(lock), (json{{"mac", "dc:23:87:64:00:01"},
                                          {"uuid", "tuya02d0fff64058"},
                                          {"local_key", "sdj32tjwbnxzg146"},
                                          {"device_id", "bfykp87mrhsn9qhtm1xddl"},
                                          {"name", "Back Door"},
                                          {"product_id", "pdlqumdp"}}));
}

TEST(CtlDevicesFile, ANamelessDeviceIsNamedByItsIdAndProductIdIsOptional) {
    const auto all = devices(R"([{"id": "bf1", "key": "k1k1k1", "mac": "m", "uuid": "u"}])");
    ASSERT_EQ(all.size(), 1u);
    EXPECT_EQ(pairRequestFor(all[0]), (json{{"mac", "m"},
                                            {"uuid", "u"},
                                            {"local_key", "k1k1k1"},
                                            {"device_id", "bf1"},
                                            {"name", "bf1"}}));
}

TEST(CtlDevicesFile, RejectsWhatTheWizardDoesNotWrite) {
    for (const char* text : {"", "{\"devices\": []}", "[1", "\"x\""}) {
        const auto parsed = parseDevicesFile(text, "f.json");
        ASSERT_FALSE(parsed) << text;
        EXPECT_EQ(parsed.error().exit, Exit::Failed);
        EXPECT_TRUE(parsed.error().message.starts_with("f.json: not a tinytuya devices.json"));
    }
    const auto entry = parseDevicesFile(R"([{"id": "a"}, 3])", "f.json");
    ASSERT_FALSE(entry);
    EXPECT_EQ(entry.error().message, "f.json: entry 1 is not an object");
}

TEST(CtlDevicesFile, SelectsByNameOrIdInTheSelectorsOrder) {
    const auto all = devices(sample());
    const auto chosen = selectDevices(all, {"bfykp87mrhsn9qhtm1xddl", "Hall Plug"});
    ASSERT_TRUE(chosen);
    ASSERT_EQ(chosen->size(), 2u);
    EXPECT_EQ((*chosen)[0].name, "Back Door");
    EXPECT_EQ((*chosen)[1].name, "Hall Plug");

    const auto unknown = selectDevices(all, {"Back Door", "Garage"});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().exit, Exit::Failed);
    EXPECT_EQ(unknown.error().message, "no device is called or has the id \"Garage\"");
}

TEST(CtlDevicesFile, WithoutSelectorsOnlyAOneDeviceFileIsUnambiguous) {
    const auto all = devices(sample());
    const auto ambiguous = selectDevices(all, {});
    ASSERT_FALSE(ambiguous);
    EXPECT_EQ(ambiguous.error().exit, Exit::Usage);
    EXPECT_EQ(ambiguous.error().message,
              "the file holds 2 devices; name the ones to pair by name or id: \"Hall Plug\", "
              "\"Back Door\"");
    const auto one = selectDevices({all[1]}, {});
    ASSERT_TRUE(one);
    EXPECT_EQ(one->at(0).id, "bfykp87mrhsn9qhtm1xddl");
}

TEST(CtlDevicesFile, ADeviceWithoutBluetoothKeysIsRefusedByName) {
    const auto all = devices(R"([{"name": "Bulb", "id": "bf9", "key": "abcdef", "mac": ""}])");
    const auto chosen = selectDevices(all, {"Bulb"});
    ASSERT_FALSE(chosen);
    EXPECT_EQ(chosen.error().message,
              "device \"Bulb\" has no mac, uuid: a Bluetooth lock needs id, key, mac and uuid");
}

}  // namespace
}  // namespace lockhub::ctl
