// Battery locks over D-Bus: they drop an idle link, advertise slowly while asleep, raise the
// connect-request bit of their generation while records wait and clear it once a hub drained
// them, and keep at most 20 records. The advertisement is read back with the protocol's parser.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "protocol/tuya/Advertisement.h"
#include "tests/sim/HubLink.h"

namespace lockhub::sim::test {
namespace {

namespace tuya = protocol::tuya;
using std::chrono::milliseconds;

constexpr const char* kDevice = "org.bluez.Device1";

std::optional<tuya::ParsedAdvertisement> advertised(SimProcess& sim, const std::string& device) {
    tuya::AdvertisementFields fields;
    const auto service =
        sim.property(device, kDevice, "ServiceData").get<std::map<std::string, sdbus::Variant>>();
    for (const auto& [uuid, value] : service) {
        auto bytes = value.get<std::vector<std::uint8_t>>();
        if (uuid.rfind("0000fd50", 0) == 0) {
            fields.serviceDataV4 = std::move(bytes);
        } else if (uuid.rfind("0000a201", 0) == 0) {
            fields.serviceDataV3 = std::move(bytes);
        }
    }
    const auto maker = sim.property(device, kDevice, "ManufacturerData")
                           .get<std::map<std::uint16_t, sdbus::Variant>>();
    if (const auto tuya = maker.find(tuya::kTuyaCompanyId); tuya != maker.end()) {
        fields.manufacturerData = tuya->second.get<std::vector<std::uint8_t>>();
    }
    const auto parsed = tuya::parseAdvertisement(fields);
    return parsed ? std::optional(*parsed) : std::nullopt;
}

bool waitForConnectRequest(SimProcess& sim, const std::string& device, bool wanted,
                           milliseconds timeout) {
    return testing::waitUntil(
        [&] {
            const auto ad = advertised(sim, device);
            return ad && ad->flags && ad->flags->connectRequest == wanted;
        },
        timeout);
}

bool connected(SimProcess& sim, const std::string& device) {
    return sim.property(device, kDevice, "Connected").get<bool>();
}

std::filesystem::path written(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path) << text;
    return path;
}

// A sim started from a config file, every lock discovered.
struct BatteryRig {
    explicit BatteryRig(const std::string& configJson)
        : config(written(dir.path() / "sim.json", configJson)), sim({"--config", config.string()}) {
        locks = readCredentials(sim.credentialsFile());
        std::vector<std::string> macs;
        for (const auto& lock : locks) {
            macs.push_back(lock.mac);
        }
        sim.discover(macs);
    }
    testing::TempDir dir;
    std::filesystem::path config;
    SimProcess sim;
    std::vector<LockCredentials> locks;
};

class SimBattery : public ::testing::TestWithParam<const char*> {};

// Both generations: a v4 lock with the FD50 layout (connect request = frame control 0x0200) and
// a v3 lock (flags bit 0x01 of the 0x07D0 manufacturer data).
TEST_P(SimBattery, SleepsRaisesConnectRequestWithNewsAndClearsItOnceDrained) {
    BatteryRig rig(std::string(R"({"seed": 21, "locks": [{"name": "door", )") + GetParam() +
                   R"(, "power": "battery", "advertising_interval_ms": 1500,
                       "idle_timeout_ms": 600}]})");
    auto& sim = rig.sim;
    const auto& lock = rig.locks[0];
    const auto device = sim.devicePath(lock.mac);
    const auto generation = std::string(GetParam()).find("fd50") != std::string::npos
                                ? tuya::AdvertisementGeneration::V4
                                : tuya::AdvertisementGeneration::V3;
    auto ad = advertised(sim, device);
    ASSERT_TRUE(ad);
    EXPECT_EQ(ad->generation, generation);
    ASSERT_TRUE(ad->flags);
    EXPECT_TRUE(ad->flags->bound);
    EXPECT_FALSE(ad->flags->connectRequest);
    EXPECT_EQ(tuya::decryptAdvertisedUuid(*ad), lock.identity.uuid);
    EXPECT_EQ(simJson(sim, "Inspect", lock.name).at("power"), "battery");

    // Asleep, the lock can only be reached at its next slow advertising event.
    HubLink hub(sim, lock.identity);
    auto connecting = std::chrono::steady_clock::now();
    ASSERT_TRUE(hub.connect());
    EXPECT_LE(std::chrono::steady_clock::now() - connecting, milliseconds(1500 + 500));
    ASSERT_TRUE(hub.handshake());
    const auto idleFrom = std::chrono::steady_clock::now();
    // The lock closes the idle link itself (no Disconnect from the hub).
    ASSERT_TRUE(testing::waitUntil([&] { return !connected(sim, device); }, milliseconds(3000)));
    EXPECT_GE(std::chrono::steady_clock::now() - idleFrom, milliseconds(550));
    hub.disconnect();

    // News while asleep: more records than the lock can keep, and the advertisement asks at once.
    const auto burst = simJson(sim, "Burst", lock.name, 25u);
    EXPECT_TRUE(waitForConnectRequest(sim, device, true, milliseconds(1000)));
    auto state = simJson(sim, "Inspect", lock.name);
    EXPECT_TRUE(state.at("connect_request").get<bool>());
    EXPECT_EQ(state.at("pending_records").size(), 20u);
    EXPECT_EQ(state.at("dropped_records"), 5);
    ad = advertised(sim, device);
    ASSERT_TRUE(ad);
    EXPECT_EQ(tuya::decryptAdvertisedUuid(*ad), lock.identity.uuid);  // v4: new key, still opens

    // Asking for a connection, it advertises at full pace: no slow interval to wait for.
    connecting = std::chrono::steady_clock::now();
    ASSERT_TRUE(hub.connect());
    EXPECT_LE(std::chrono::steady_clock::now() - connecting, milliseconds(500));
    ASSERT_TRUE(hub.handshake());
    ASSERT_TRUE(hub.pumpUntil([&] { return hub.recordCount() == 20; }, milliseconds(5000)));
    const auto records = hub.records();
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& expected = burst.at("records")[i + 5];  // the oldest five were dropped
        EXPECT_EQ(records[i].time->unixMs, expected.at("lock_time").get<std::int64_t>() * 1000);
    }
    EXPECT_TRUE(waitForConnectRequest(sim, device, false, milliseconds(1000)));
    state = simJson(sim, "Inspect", lock.name);
    EXPECT_FALSE(state.at("connect_request").get<bool>());
    EXPECT_TRUE(state.at("pending_records").empty());
    EXPECT_TRUE(testing::waitUntil([&] { return !connected(sim, device); }, milliseconds(3000)));
}

INSTANTIATE_TEST_SUITE_P(BothGenerations, SimBattery,
                         ::testing::Values(R"("protocol": 4, "gatt": "fd50")", R"("protocol": 3)"),
                         [](const ::testing::TestParamInfo<const char*>& param) {
                             return param.index == 0 ? std::string("fd50") : std::string("a201");
                         });

std::size_t rssiUpdates(SimProcess& sim, const std::string& device) {
    const auto seen = sim.signals();
    return static_cast<std::size_t>(std::count_if(seen.begin(), seen.end(), [&](const Signal& s) {
        return s.member == "PropertiesChanged" && s.path == device && s.changed.contains("RSSI");
    }));
}

TEST(SimBatteryAdvertising, ASleepingLockIsSeenOncePerIntervalAMainsLockEverySecond) {
    BatteryRig rig(R"({"seed": 22, "locks": [{"name": "asleep", "power": "battery",
                       "advertising_interval_ms": 4000}, {"name": "mains"}]})");
    auto& sim = rig.sim;
    sim.clearSignals();
    std::this_thread::sleep_for(milliseconds(8500));
    // Scans refresh every second; RSSI jitters ±3 dBm, so most refreshes change it. The sleeping
    // lock advertises at most three times in 8.5 s, the mains lock about eight.
    EXPECT_LE(rssiUpdates(sim, sim.devicePath(rig.locks[0].mac)), 3u);
    EXPECT_GE(rssiUpdates(sim, sim.devicePath(rig.locks[1].mac)), 4u);
}

TEST(SimBatteryConfig, RealisticMakesLocksBatteryPoweredUnlessTheySayMains) {
    testing::TempDir dir;
    const auto config = dir.path() / "sim.json";
    std::ofstream(config) << R"({"locks": [{"name": "plugged", "power": "mains"}, {"name": "a"}]})";
    SimProcess sim({"--config", config.string(), "--realistic"});
    EXPECT_EQ(simJson(sim, "Inspect", std::string("plugged")).at("power"), "mains");
    EXPECT_EQ(simJson(sim, "Inspect", std::string("a")).at("power"), "battery");
    const auto listed = simJson(sim, "ListLocks").at("locks");
    EXPECT_EQ(listed[1].at("power"), "battery");
    EXPECT_EQ(listed[1].at("advertising_interval_ms"), 2000);
    EXPECT_EQ(listed[1].at("idle_timeout_ms"), 5000);
    for (const auto* bad : {R"({"power": "solar"})", R"({"idle_timeout_ms": 5})",
                            R"({"advertising_interval_ms": "fast"})"}) {
        EXPECT_EQ(SimProcess::errorOf([&] { sim.sim("AddLock", std::string(bad)); }),
                  "org.lockhub.Sim.Error.InvalidArguments")
            << bad;
    }
}

}  // namespace
}  // namespace lockhub::sim::test
