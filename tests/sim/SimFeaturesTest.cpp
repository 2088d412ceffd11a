// lockhub-sim's own surface: ctl, --config, --realistic timing, the FD50 layout, bursts, bonding.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/sim/HubLink.h"

namespace lockhub::sim::test {
namespace {

namespace tuya = protocol::tuya;
using std::chrono::milliseconds;

struct CtlResult {
    int code;
    std::string out;
    std::string err;
};

CtlResult ctl(const SimProcess& sim, std::vector<std::string> args) {
    static int run = 0;
    testing::TempDir dir;
    args.insert(args.begin(), {LOCKHUB_SIM_BINARY, "ctl", "--bus", sim.address()});
    testing::Process process("ctl" + std::to_string(++run), args, dir.path());
    const auto status = process.waitExit(milliseconds(5000));
    return {status && status->exited ? status->code : -1, process.stdoutText(),
            process.stderrText()};
}

TEST(SimCtl, WrapsEveryControlCommand) {
    SimProcess sim({"--locks", "1", "--seed", "3"});
    auto result = ctl(sim, {"add", R"({"name":"front","protocol":3})"});
    ASSERT_EQ(result.code, 0) << result.err;
    EXPECT_EQ(result.out, "front\n");
    result = ctl(sim, {"list"});
    ASSERT_EQ(result.code, 0);
    const auto list = nlohmann::json::parse(result.out);
    ASSERT_EQ(list.at("locks").size(), 2u);
    EXPECT_EQ(list.at("locks")[1].at("name"), "front");
    EXPECT_EQ(list.at("locks")[1].at("protocol"), 3);

    for (const std::vector<std::string>& command :
         std::vector<std::vector<std::string>>{{"fingerprint", "front", "3"},
                                               {"card", "front", "4"},
                                               {"key", "front"},
                                               {"bolt", "front"},
                                               {"alarm", "front", "8"},
                                               {"hijack", "front"},
                                               {"doorbell", "front"},
                                               {"request", "front"},
                                               {"battery", "front", "9"},
                                               {"rssi", "front", "-90"},
                                               {"skew", "front", "-60"},
                                               {"time", "front", "1700000000"},
                                               {"out-of-range", "front"},
                                               {"in-range", "front"}}) {
        result = ctl(sim, command);
        EXPECT_EQ(result.code, 0) << command[0] << ": " << result.err;
    }
    result = ctl(sim, {"keypad", "front", "1234"});
    ASSERT_EQ(result.code, 0);
    EXPECT_EQ(nlohmann::json::parse(result.out).at("unlocked"), false);
    result = ctl(sim, {"drop", "front"});
    EXPECT_EQ(result.out, "not connected\n");
    result = ctl(sim, {"burst", "front", "3"});
    ASSERT_EQ(result.code, 0);
    const auto burst = nlohmann::json::parse(result.out);
    EXPECT_EQ(burst.at("emitted_usec").size(), 3u);
    ASSERT_EQ(burst.at("records").size(), 3u);
    EXPECT_EQ(burst.at("records")[2].at("id"), 12);
    result = ctl(sim, {"acked", "front"});
    ASSERT_EQ(result.code, 0);
    EXPECT_EQ(result.out, "[]\n");  // no hub has acknowledged anything

    result = ctl(sim, {"inspect", "front"});
    ASSERT_EQ(result.code, 0);
    const auto state = nlohmann::json::parse(result.out);
    EXPECT_EQ(state.at("battery"), 9);
    EXPECT_EQ(state.at("last_unlock").at("method"), "key");
    EXPECT_TRUE(state.at("locked").get<bool>());
    // fingerprint, card, key, alarm, hijack, doorbell, request, low battery, wrong code, 3 bursts.
    EXPECT_EQ(state.at("last_record_id"), 12);
    EXPECT_EQ(state.at("pending_records").size(), 12u);
    EXPECT_EQ(state.at("lock_time").get<std::int64_t>() / 10, 170000000);
    EXPECT_EQ(result.out.find("local_key"), std::string::npos);  // no secrets in inspect

    result = ctl(sim, {"remove", "front"});
    EXPECT_EQ(result.code, 0);
    result = ctl(sim, {"inspect", "front"});
    EXPECT_EQ(result.code, 1);
    EXPECT_NE(result.err.find("org.lockhub.Sim.Error.UnknownLock"), std::string::npos);
    EXPECT_EQ(ctl(sim, {"battery", "lock1", "x"}).code, 2);
    EXPECT_EQ(ctl(sim, {"nonsense"}).code, 2);
    EXPECT_EQ(ctl(sim, {"battery", "lock1"}).code, 2);
}

TEST(SimConfig, ConfigFileLocksAndTheFd50Layout) {
    testing::TempDir dir;
    const auto config = dir.path() / "sim.json";
    std::ofstream(config) << R"({"seed": 5, "locks": [{"name": "front", "gatt": "fd50",
        "protocol": 3, "mac": "AA:BB:CC:DD:EE:01"}]})";
    SimProcess sim({"--config", config.string()});
    const auto locks = readCredentials(sim.credentialsFile());
    ASSERT_EQ(locks.size(), 1u);
    EXPECT_EQ(locks[0].name, "front");
    EXPECT_EQ(locks[0].mac, "AA:BB:CC:DD:EE:01");
    EXPECT_EQ(locks[0].identity.gatt, GattGeneration::Fd50);
    sim.discover({locks[0].mac});
    HubLink link(sim, locks[0].identity);
    ASSERT_TRUE(link.connect());
    EXPECT_EQ(
        sim.property(link.writePath(), "org.bluez.GattCharacteristic1", "UUID").get<std::string>(),
        "00000001-0000-1001-8001-00805f9b07d0");
    EXPECT_EQ(
        sim.property(link.notifyPath(), "org.bluez.GattCharacteristic1", "UUID").get<std::string>(),
        "00000002-0000-1001-8001-00805f9b07d0");
    EXPECT_TRUE(link.handshake());
}

TEST(SimConfig, KnownDevicesAndASecondAdapter) {
    testing::TempDir dir;
    const auto config = dir.path() / "sim.json";
    std::ofstream(config) << R"({"known": true, "locks": [{"name": "a"},
        {"name": "b", "adapter": "hci1", "mac": "AA:BB:CC:DD:EE:02"}]})";
    SimProcess sim({"--config", config.string()});
    const auto objects = sim.managedObjects();
    EXPECT_EQ(objects.count(sdbus::ObjectPath("/org/bluez/hci1")), 1u);
    EXPECT_EQ(objects.count(sdbus::ObjectPath("/org/bluez/hci1/dev_AA_BB_CC_DD_EE_02")), 1u);
    const auto locks = readCredentials(sim.credentialsFile());
    EXPECT_EQ(objects.count(sdbus::ObjectPath(sim.devicePath(locks[0].mac))), 1u);
    HubLink link(sim, locks[0].identity);  // no discovery needed for a known device
    ASSERT_TRUE(link.connect());
    EXPECT_TRUE(link.handshake());
}

TEST(SimDiscovery, TemporaryDevicesExpireAfterDiscoveryStopsUnlessConnected) {
    SimProcess sim({"--locks", "2", "--seed", "6", "--temporary-timeout", "1"});
    const auto locks = readCredentials(sim.credentialsFile());
    sim.discover({locks[0].mac, locks[1].mac});
    HubLink link(sim, locks[0].identity);
    ASSERT_TRUE(link.connect());
    link.disconnect();  // connected once: no longer temporary
    sim.call("/org/bluez/hci0", "org.bluez.Adapter1", "StopDiscovery");
    const auto removed = sim.devicePath(locks[1].mac);
    EXPECT_TRUE(sim.waitFor(
        [&](const std::vector<Signal>& seen) {
            return std::any_of(seen.begin(), seen.end(), [&](const Signal& s) {
                return s.member == "InterfacesRemoved" && s.path == removed;
            });
        },
        milliseconds(3000)));
    const auto objects = sim.managedObjects();
    EXPECT_EQ(objects.count(sdbus::ObjectPath(removed)), 0u);
    EXPECT_EQ(objects.count(sdbus::ObjectPath(sim.devicePath(locks[0].mac))), 1u);
}

TEST(SimDiscovery, RefusalKnobMakesStartDiscoveryFailAndTimesEveryCall) {
    SimProcess sim({"--locks", "1", "--seed", "6"});
    const std::string adapter = "/org/bluez/hci0";
    auto start = [&] { sim.call(adapter, "org.bluez.Adapter1", "StartDiscovery"); };
    auto discovering = [&] {
        sdbus::Variant on;
        sim.call(adapter, "org.freedesktop.DBus.Properties", "Get",
                 std::string("org.bluez.Adapter1"), std::string("Discovering")) >>
            on;
        return on.get<bool>();
    };

    auto result = ctl(sim, {"refuse-discovery", "InProgress"});
    ASSERT_EQ(result.code, 0) << result.err;
    EXPECT_EQ(SimProcess::errorOf(start), "org.bluez.Error.InProgress");
    sim.sim("SetDiscoveryRefusal", std::string("org.bluez.Error.NotReady"));
    EXPECT_EQ(SimProcess::errorOf(start), "org.bluez.Error.NotReady");
    EXPECT_FALSE(discovering());
    EXPECT_EQ(SimProcess::errorOf([&] { sim.sim("SetDiscoveryRefusal", std::string("Busy")); }),
              "org.lockhub.Sim.Error.InvalidArguments");

    result = ctl(sim, {"refuse-discovery", "off"});
    ASSERT_EQ(result.code, 0) << result.err;
    start();
    EXPECT_TRUE(discovering());

    result = ctl(sim, {"discovery-starts"});
    ASSERT_EQ(result.code, 0) << result.err;
    const auto times = nlohmann::json::parse(result.out).get<std::vector<std::int64_t>>();
    ASSERT_EQ(times.size(), 3u);  // the refused ones count too
    EXPECT_LE(times[0], times[1]);
    EXPECT_LE(times[1], times[2]);
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::steady_clock::now().time_since_epoch())
                         .count();
    EXPECT_LE(times[2], now);
    EXPECT_GT(times[0], now - 10'000'000);
}

TEST(SimConfig, BadOptionsExitWithUsage) {
    testing::TempDir dir;
    for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
             {"--locks", "x"}, {"--bogus"}, {"--config", "/nonexistent.json"}, {"--seed"}}) {
        std::vector<std::string> argv{LOCKHUB_SIM_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        testing::Process process("bad", argv, dir.path());
        const auto status = process.waitExit(milliseconds(5000));
        ASSERT_TRUE(status);
        EXPECT_EQ(status->code, 2) << args[0];
        EXPECT_NE(process.stderrText().find("usage:"), std::string::npos);
    }
}

TEST(SimRealistic, ConnectionSetUpAndNotificationIntervalAreAdded) {
    // --realistic makes locks battery-powered; this one says mains, so no advertising interval
    // adds to the set-up (BatteryLockTest covers that).
    testing::TempDir dir;
    const auto config = dir.path() / "sim.json";
    std::ofstream(config) << R"({"seed": 9, "locks": [{"power": "mains"}]})";
    SimProcess sim({"--config", config.string(), "--realistic"});
    const auto locks = readCredentials(sim.credentialsFile());
    sim.discover({locks[0].mac});
    HubLink link(sim, locks[0].identity);
    const auto start = std::chrono::steady_clock::now();
    ASSERT_TRUE(link.connect());
    const auto setUp = std::chrono::steady_clock::now() - start;
    EXPECT_GE(setUp, milliseconds(100));
    EXPECT_LE(setUp, milliseconds(1500));
    ASSERT_TRUE(link.handshake());
    std::vector<std::chrono::steady_clock::time_point> notified;
    for (const auto& signal : sim.signals()) {
        if (signal.member == "PropertiesChanged" && signal.path == link.notifyPath() &&
            signal.changed.contains("Value")) {
            notified.push_back(signal.at);
        }
    }
    ASSERT_GE(notified.size(), 4u);  // DEVICE_INFO reply spans several packets
    for (std::size_t i = 1; i < notified.size(); ++i) {
        EXPECT_GE(notified[i] - notified[i - 1], milliseconds(25));
    }
}

// Burst records are fingerprint unlocks (DP 12) with hardware ids 0, 1, 2, ... per lock.
std::string fingerprintHex(std::size_t index) {
    char text[9];
    std::snprintf(text, sizeof text, "%08zx", index % 255);
    return text;
}

TEST(SimBurst, EveryRecordHasItsOwnLockSecondAndReachesTheHubOnce) {
    SimProcess sim({"--locks", "1", "--seed", "4"});
    const auto locks = readCredentials(sim.credentialsFile());
    sim.discover({locks[0].mac});
    HubLink link(sim, locks[0].identity);
    ASSERT_TRUE(link.connect());
    ASSERT_TRUE(link.handshake());
    const auto before = simJson(sim, "Inspect", locks[0].name).at("lock_time").get<std::int64_t>();
    const auto first = simJson(sim, "Burst", locks[0].name, 100u);
    const auto after = simJson(sim, "Inspect", locks[0].name).at("lock_time").get<std::int64_t>();
    EXPECT_EQ(first.at("first_record_id"), 1);
    EXPECT_EQ(first.at("count"), 100);
    EXPECT_EQ(first.at("emitted_usec").size(), 100u);
    ASSERT_EQ(first.at("records").size(), 100u);
    // The backlog ends at the lock's current second, never in the future.
    const auto lastSecond = first.at("records").back().at("lock_time").get<std::int64_t>();
    EXPECT_GE(lastSecond, before);
    EXPECT_LE(lastSecond, after);
    ASSERT_TRUE(link.pumpUntil([&] { return link.recordCount() >= 100; }, milliseconds(10000)));
    // A second burst right away cannot go further back without reusing the first one's seconds.
    const auto second = simJson(sim, "Burst", locks[0].name, 50u);
    ASSERT_TRUE(link.pumpUntil([&] { return link.recordCount() >= 150; }, milliseconds(10000)));

    auto expected = first.at("records");
    expected.insert(expected.end(), second.at("records").begin(), second.at("records").end());
    const auto records = link.records();
    ASSERT_EQ(records.size(), 150u);
    const auto firstSecond = expected[0].at("lock_time").get<std::int64_t>();
    EXPECT_EQ(firstSecond, lastSecond - 99);
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& record = expected[i];
        EXPECT_EQ(record.at("id"), i + 1);
        EXPECT_EQ(record.at("dp"), dp::kRecordFingerprint);
        EXPECT_EQ(record.at("value_hex"), fingerprintHex(i));
        EXPECT_EQ(record.at("lock_time"), firstSecond + static_cast<std::int64_t>(i));
        EXPECT_EQ(records[i].dps,
                  (std::vector<Dp>{
                      Dp::integer(dp::kRecordFingerprint, static_cast<std::int32_t>(i % 255))}));
        ASSERT_TRUE(records[i].time);
        EXPECT_EQ(records[i].time->unixMs, record.at("lock_time").get<std::int64_t>() * 1000);
    }
    EXPECT_EQ(second.at("first_record_id"), 101);
}

TEST(SimBonding, PairedDeviceKeepsItsGattObjectsAcrossDisconnect) {
    SimProcess sim({"--locks", "1", "--seed", "4"});
    const auto locks = readCredentials(sim.credentialsFile());
    sim.discover({locks[0].mac});
    const auto device = sim.devicePath(locks[0].mac);
    sim.call(device, "org.bluez.Device1", "Pair");
    EXPECT_TRUE(sim.property(device, "org.bluez.Device1", "Paired").get<bool>());
    EXPECT_EQ(SimProcess::errorOf([&] { sim.call(device, "org.bluez.Device1", "Pair"); }),
              "org.bluez.Error.AlreadyExists");
    HubLink link(sim, locks[0].identity);
    ASSERT_TRUE(link.connect());
    const auto writePath = link.writePath();
    link.disconnect();
    EXPECT_FALSE(sim.property(device, "org.bluez.Device1", "ServicesResolved").get<bool>());
    EXPECT_EQ(sim.managedObjects().count(sdbus::ObjectPath(writePath)), 1u);
    ASSERT_TRUE(link.connect());
    // bluetoothd keeps a bonded device's notify sessions and registers them again.
    EXPECT_TRUE(
        sim.property(link.notifyPath(), "org.bluez.GattCharacteristic1", "Notifying").get<bool>());
    EXPECT_TRUE(link.handshake());
}

}  // namespace
}  // namespace lockhub::sim::test
