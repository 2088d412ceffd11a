// BluezCentral against lockhub-sim on a private bus: discovery, connect + Tuya handshake over the
// GattLink, typed errors, link loss and BlueZ restarting, all on a real event loop.
#include <gtest/gtest.h>
#include <sdbus-c++/sdbus-c++.h>
#include <systemd/sd-event.h>

#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "CentralHarness.h"
#include "HubOverLink.h"
#include "SimBluez.h"
#include "protocol/tuya/Advertisement.h"
#include "sim/firmware/TuyaAdvertisement.h"

namespace lockhub::adapters::bluez::test {
namespace {

using namespace std::chrono_literals;
namespace tuya = protocol::tuya;
using Lost = std::vector<std::pair<std::string, std::string>>;

BluezOptions on(const SimBluez& sim) {
    BluezOptions options;
    options.bus = sim.address();
    return options;
}

bool seenAll(const CentralHarness& harness, const std::vector<SimLock>& locks) {
    return std::all_of(locks.begin(), locks.end(), [&](const SimLock& lock) {
        const auto it = harness.advertisements.find(lock.mac);
        return it != harness.advertisements.end() && it->second.tuyaManufacturerData;
    });
}

// Started, available and discovering with every lock of the sim seen.
void discover(CentralHarness& harness, const std::vector<SimLock>& locks) {
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    harness.central().startDiscovery();
    ASSERT_TRUE(harness.runUntil([&] { return seenAll(harness, locks); }));
}

std::string devicePath(std::string mac) {
    std::replace(mac.begin(), mac.end(), ':', '_');
    return "/org/bluez/hci0/dev_" + mac;
}

TEST(BluezCentral, DiscoverySeesTheSimLocksWithTheirTuyaData) {
    SimBluez sim;
    const auto locks = sim.locks();
    ASSERT_EQ(locks.size(), 2u);
    CentralHarness harness(on(sim));
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    EXPECT_EQ(harness.availability, std::vector<bool>{true});
    EXPECT_TRUE(harness.central().knownDevices().empty());  // no --known: none before discovery

    harness.central().startDiscovery();
    ASSERT_TRUE(harness.runUntil([&] { return seenAll(harness, locks); }));
    for (const auto& lock : locks) {
        const auto& ad = harness.advertisements.at(lock.mac);
        EXPECT_EQ(ad.name, "TY");
        EXPECT_TRUE(ad.rssi.has_value());
        EXPECT_FALSE(ad.connected);
        ports::Bytes serviceData{0x00};  // id type 0: product id
        serviceData.insert(serviceData.end(), lock.productId.begin(), lock.productId.end());
        EXPECT_EQ(ad.tuyaServiceData, serviceData);
        ASSERT_TRUE(ad.tuyaManufacturerData);
        ASSERT_EQ(ad.tuyaManufacturerData->size(), 22u);
        EXPECT_EQ((*ad.tuyaManufacturerData)[1], lock.protocol);
        EXPECT_EQ(sim::decryptAdvertisedUuid(lock.productId, *ad.tuyaManufacturerData),
                  lock.session.uuid);
    }
    EXPECT_EQ(harness.central().knownDevices().size(), 2u);
}

tuya::ParsedAdvertisement parsed(const ports::Advertisement& ad) {
    const auto result = tuya::parseAdvertisement(
        {ad.tuyaServiceData, ad.tuyaFd50ServiceData, ad.tuyaManufacturerData});
    EXPECT_TRUE(result) << static_cast<int>(result.error());
    return result.value_or(tuya::ParsedAdvertisement{});
}

TEST(BluezCentral, DiscoverySeesTheFd50GenerationWithItsServiceData) {
    SimBluez sim({"--locks", "1", "--seed", "7"});
    sim.ctl({"add", R"({"name": "fd50lock", "gatt": "fd50", "protocol": 4})"});
    const auto locks = sim.locks();
    ASSERT_EQ(locks.size(), 2u);
    CentralHarness harness(on(sim));
    discover(harness, locks);

    const auto& classic = harness.advertisements.at(locks[0].mac);
    EXPECT_TRUE(classic.tuyaServiceData);
    EXPECT_FALSE(classic.tuyaFd50ServiceData);
    EXPECT_EQ(parsed(classic).generation, tuya::AdvertisementGeneration::V3);

    const auto& fd50 = harness.advertisements.at(locks[1].mac);
    EXPECT_FALSE(fd50.tuyaServiceData);
    ASSERT_TRUE(fd50.tuyaFd50ServiceData);
    // Frame control 0x49 (id included, version 4, bound, no connect request), id type 0, the
    // product id's length; a bound lock's id field hides the product id.
    const auto& data = *fd50.tuyaFd50ServiceData;
    ASSERT_EQ(data.size(), 4 + locks[1].productId.size());
    EXPECT_EQ(data[0], 0x49);
    EXPECT_EQ(data[1], 0x00);
    EXPECT_EQ(data[2], 0x00);
    EXPECT_EQ(data[3], locks[1].productId.size());
    const auto v4 = parsed(fd50);
    EXPECT_EQ(v4.generation, tuya::AdvertisementGeneration::V4);
    EXPECT_FALSE(v4.productId);
    EXPECT_EQ(tuya::decryptAdvertisedUuid(v4), locks[1].session.uuid);
    EXPECT_EQ(harness.central().knownDevices().size(), 2u);
}

bool connectRequest(const CentralHarness& harness, const std::string& mac) {
    const auto flags = parsed(harness.advertisements.at(mac)).flags;
    return flags && flags->connectRequest;
}

TEST(BluezCentral, RepeatedAdvertisementsAndConnectRequestFlipsReachTheAppInBothGenerations) {
    SimBluez sim({"--locks", "1", "--seed", "7"});
    sim.ctl({"add", R"({"name": "fd50lock", "gatt": "fd50", "protocol": 4})"});
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    for (const auto& lock : locks) {
        EXPECT_FALSE(connectRequest(harness, lock.mac)) << lock.name;
    }

    // Discovery keeps reporting the same devices (RSSI refreshed every second, ±3 dBm).
    const auto first = harness.advertisementCounts;
    EXPECT_TRUE(harness.runUntil(
        [&] {
            return std::all_of(locks.begin(), locks.end(), [&](const SimLock& lock) {
                return harness.advertisementCounts[lock.mac] >= first.at(lock.mac) + 2;
            });
        },
        8s));

    // A doorbell ring waits for a hub: the bit goes up in the 0x07D0 flags (v3) and in the FD50
    // frame control (v4), and comes down once a hub drained the record.
    for (const auto& lock : locks) {
        sim.ctl({"doorbell", lock.name});
    }
    ASSERT_TRUE(harness.runUntil(
        [&] {
            return connectRequest(harness, locks[0].mac) && connectRequest(harness, locks[1].mac);
        },
        3s));
    EXPECT_EQ((*harness.advertisements.at(locks[0].mac).tuyaManufacturerData)[0] & 0x01, 0x01);
    EXPECT_EQ((*harness.advertisements.at(locks[1].mac).tuyaFd50ServiceData)[0] & 0x02, 0x02);

    for (const auto& lock : locks) {
        SCOPED_TRACE(lock.name);
        auto link = harness.connect(lock.mac);
        ASSERT_TRUE(link) << link.error().message;
        HubOverLink hub(harness, std::move(*link), lock.session);
        ASSERT_TRUE(hub.handshake());
        ASSERT_TRUE(hub.waitForReport(24));
        hub.link().disconnect();
        EXPECT_TRUE(harness.runUntil([&] { return !connectRequest(harness, lock.mac); }, 5s));
    }
}

TEST(BluezCentral, DiscoveryIsReferenceCounted) {
    SimBluez sim;
    CentralHarness harness(on(sim));
    discover(harness, sim.locks());
    harness.central().startDiscovery();
    harness.central().stopDiscovery();
    harness.runUntil([] { return false; }, 300ms);
    EXPECT_TRUE(sim.adapterDiscovering());
    harness.central().stopDiscovery();
    EXPECT_TRUE(harness.runUntil([&] { return !sim.adapterDiscovering(); }, 3000ms));
}

TEST(BluezCentral, DevicesBluezForgetsLeaveTheKnownDevices) {
    // bluetoothd drops discovered devices nobody connected to a while after discovery stops.
    SimBluez sim({"--locks", "2", "--seed", "7", "--temporary-timeout", "1"});
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    ASSERT_EQ(harness.central().knownDevices().size(), 2u);
    // Connecting makes a device permanent in BlueZ; RemoveDevice is then what forgets it.
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;
    (*link)->disconnect();
    ASSERT_TRUE(
        harness.runUntil([&] { return !harness.advertisements.at(locks[0].mac).connected; }));

    harness.central().stopDiscovery();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().knownDevices().size() == 1; }, 5s));
    EXPECT_EQ(harness.central().knownDevices()[0].mac, locks[0].mac);
    {
        auto connection = sdbus::createSessionBusConnectionWithAddress(sim.address());
        auto adapter = sdbus::createProxy(*connection, "org.bluez", "/org/bluez/hci0");
        adapter->callMethod("RemoveDevice")
            .onInterface("org.bluez.Adapter1")
            .withArguments(sdbus::ObjectPath(devicePath(locks[0].mac)));
    }
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().knownDevices().empty(); }));
    const auto gone = harness.connect(locks[0].mac);
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, Errc::NotFound);

    // Discovered again, the same object paths work as new.
    harness.advertisements.clear();
    harness.central().startDiscovery();
    ASSERT_TRUE(harness.runUntil([&] { return seenAll(harness, locks); }));
    EXPECT_EQ(harness.central().knownDevices().size(), 2u);
    auto again = harness.connect(locks[0].mac);
    ASSERT_TRUE(again) << again.error().message;
    HubOverLink hub(harness, std::move(*again), locks[0].session);
    EXPECT_TRUE(hub.handshake());
}

TEST(BluezCentral, ConnectHandshakeAndReportOverBothGattLayoutsAndVersions) {
    SimBluez sim;
    sim.ctl({"add", R"({"name": "fd50lock", "gatt": "fd50"})"});
    const auto locks = sim.locks();
    ASSERT_EQ(locks.size(), 3u);
    CentralHarness harness(on(sim));
    discover(harness, locks);

    for (const auto& lock : locks) {
        SCOPED_TRACE(lock.name);
        auto link = harness.connect(lock.mac);
        ASSERT_TRUE(link) << link.error().message;
        EXPECT_EQ((*link)->mac(), lock.mac);
        HubOverLink hub(harness, std::move(*link), lock.session);
        ASSERT_TRUE(hub.handshake());
        sim.ctl({"fingerprint", lock.name, "3"});
        const auto report = hub.waitForReport(12);
        ASSERT_TRUE(report);
        EXPECT_NE(std::find(report->dps.begin(), report->dps.end(), tuya::Dp::integer(12, 3)),
                  report->dps.end());
        EXPECT_EQ(hub.writeFailures(), 0);
        EXPECT_TRUE(harness.advertisements.at(lock.mac).connected);
        hub.link().disconnect();
        harness.runUntil([&] { return !harness.advertisements.at(lock.mac).connected; });
    }
    EXPECT_TRUE(harness.linksLost.empty());  // asked-for disconnects are not losses
}

TEST(BluezCentral, WritesCompleteInOrderWithTypedErrors) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;

    // Five 20-byte packets (ATT MTU 23) the lock ignores as noise, then one byte too many.
    std::vector<std::pair<int, Result<void>>> completions;
    for (int i = 0; i < 6; ++i) {
        const ports::Bytes packet(i < 5 ? 20 : 21, static_cast<std::uint8_t>(0xF0 + i));
        (*link)->write(packet,
                       [&, i](const Result<void>& result) { completions.emplace_back(i, result); });
    }
    ASSERT_TRUE(harness.runUntil([&] { return completions.size() == 6; }));
    for (int i = 0; i < 5; ++i) {
        EXPECT_EQ(completions[static_cast<std::size_t>(i)].first, i);
        EXPECT_TRUE(completions[static_cast<std::size_t>(i)].second);
    }
    EXPECT_EQ(completions[5].first, 5);
    ASSERT_FALSE(completions[5].second);
    EXPECT_EQ(completions[5].second.error().code, Errc::Internal);
    EXPECT_EQ(completions[5].second.error().message,
              "write " + locks[0].mac + ": org.bluez.Error.Failed (Failed to initiate write)");
}

TEST(BluezCentral, UnknownMacIsNotFound) {
    SimBluez sim;
    CentralHarness harness(on(sim));
    discover(harness, sim.locks());
    const auto result = harness.connect("00:11:22:33:44:55");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::NotFound);
    EXPECT_EQ(result.error().message, "connect 00:11:22:33:44:55: unknown device");
}

TEST(BluezCentral, SecondConnectWhileConnectingIsBusy) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    std::optional<Result<std::unique_ptr<ports::GattLink>>> first;
    std::optional<Result<std::unique_ptr<ports::GattLink>>> second;
    harness.central().connect(locks[0].mac, 5s, [&](auto r) { first = std::move(r); });
    harness.central().connect(locks[0].mac, 5s, [&](auto r) { second = std::move(r); });
    ASSERT_TRUE(harness.runUntil([&] { return first && second; }));
    EXPECT_TRUE(*first);
    ASSERT_FALSE(*second);
    EXPECT_EQ(second->error().code, Errc::Busy);
}

TEST(BluezCentral, OutOfRangeLockFailsToConnectWithATypedError) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    sim.ctl({"out-of-range", locks[0].name});
    const auto result = harness.connect(locks[0].mac, 5s);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::Timeout) << result.error().message;
    EXPECT_EQ(result.error().message.rfind("connect " + locks[0].mac + ": ", 0), 0u)
        << result.error().message;

    sim.ctl({"in-range", locks[0].name});
    EXPECT_TRUE(harness.connect(locks[0].mac, 5s));
}

TEST(BluezCentral, ConnectTimesOutWithinTheGivenTime) {
    SimBluez sim({"--locks", "1", "--seed", "7", "--realistic"});
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    // --realistic takes 100–500 ms to set a connection up: 20 ms is never enough.
    const auto started = std::chrono::steady_clock::now();
    const auto result = harness.connect(locks[0].mac, 20ms);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::Timeout);
    EXPECT_EQ(result.error().message, "connect " + locks[0].mac + ": no link within 20 ms");
    EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
    // The abandoned attempt was cancelled in BlueZ: a new one succeeds.
    auto link = harness.connect(locks[0].mac, 5s);
    ASSERT_TRUE(link) << link.error().message;
}

TEST(BluezCentral, DroppedConnectionIsALostLinkAndFailsLaterWrites) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;

    sim.ctl({"drop", locks[0].name});
    ASSERT_TRUE(harness.runUntil([&] { return !harness.linksLost.empty(); }));
    EXPECT_EQ(harness.linksLost, (Lost{{locks[0].mac, "disconnected"}}));

    std::optional<Result<void>> written;
    (*link)->write({0x01}, [&](const Result<void>& r) { written = r; });
    ASSERT_TRUE(written);
    ASSERT_FALSE(*written);
    EXPECT_EQ(written->error().code, Errc::Unavailable);
    EXPECT_EQ(written->error().message, "write " + locks[0].mac + ": link closed");
}

// BlueZ (the sim) stops with `signo`, then comes back: links are lost, the adapter is reported
// unavailable, then available again within 10 s with discovery resumed, and connecting works.
void restartScenario(int signo, const std::string& lostReason) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;

    sim.stop(signo);
    ASSERT_TRUE(harness.runUntil([&] { return harness.availability.size() == 2; }));
    EXPECT_EQ(harness.availability, (std::vector<bool>{true, false}));
    EXPECT_EQ(harness.linksLost, (Lost{{locks[0].mac, lostReason}}));
    EXPECT_TRUE(harness.central().knownDevices().empty());
    const auto absent = harness.connect(locks[1].mac);
    ASSERT_FALSE(absent);
    EXPECT_EQ(absent.error().code, Errc::Unavailable);
    EXPECT_EQ(absent.error().message, "connect " + locks[1].mac + ": BlueZ unavailable");

    harness.advertisements.clear();
    const auto restarted = std::chrono::steady_clock::now();
    sim.start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }, 10s));
    EXPECT_LT(std::chrono::steady_clock::now() - restarted, 10s);
    EXPECT_EQ(harness.availability, (std::vector<bool>{true, false, true}));
    // Discovery was still wanted: it resumes by itself and the locks reappear.
    ASSERT_TRUE(harness.runUntil([&] { return seenAll(harness, locks); }, 10s));
    auto again = harness.connect(locks[0].mac);
    ASSERT_TRUE(again) << again.error().message;
    HubOverLink hub(harness, std::move(*again), locks[0].session);
    EXPECT_TRUE(hub.handshake());
}

TEST(BluezCentral, BluezKilledAndRestartedRecoversWithin10Seconds) {
    // Only NameOwnerChanged tells: no signal comes from a killed bluetoothd.
    restartScenario(SIGKILL, "BlueZ left the bus");
}

TEST(BluezCentral, BluezStoppedAndRestartedRecoversWithin10Seconds) {
    // An orderly exit removes the objects first (InterfacesRemoved), as bluetoothd does.
    restartScenario(SIGTERM, "device went away");
}

TEST(BluezCentral, BusGoingAwayDropsLinksAndReconnectsWhenItReturns) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;

    sim.stopBus();
    ASSERT_TRUE(harness.runUntil([&] { return !harness.central().available(); }));
    EXPECT_EQ(harness.availability, (std::vector<bool>{true, false}));
    // Whether the bus daemon still tells that the sim left before it closes our connection is
    // up to its shutdown order.
    ASSERT_EQ(harness.linksLost.size(), 1u);
    EXPECT_EQ(harness.linksLost[0].first, locks[0].mac);
    EXPECT_TRUE(harness.linksLost[0].second == "D-Bus connection lost" ||
                harness.linksLost[0].second == "BlueZ left the bus")
        << harness.linksLost[0].second;

    harness.advertisements.clear();
    sim.startBus();  // retried every second (BluezOptions::retryInterval)
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }, 10s));
    ASSERT_TRUE(harness.runUntil([&] { return seenAll(harness, locks); }, 10s));
    auto again = harness.connect(locks[0].mac);
    ASSERT_TRUE(again) << again.error().message;
}

// What the loop printed and its exit status once the firewall stopped it; the bus was never
// taken for lost.
void expectAppFault(CentralHarness& harness, std::string_view origin) {
    ::testing::internal::CaptureStderr();
    const bool stopped = harness.runUntil([&] { return harness.loop().firewall().tripped(); });
    const std::string log = ::testing::internal::GetCapturedStderr();
    ASSERT_TRUE(stopped);
    int status = 0;
    ASSERT_GE(sd_event_get_exit_code(harness.loop().raw(), &status), 0);
    EXPECT_EQ(status, systemd::kExitAppFault);
    EXPECT_NE(log.find("error loop: uncaught exception in " + std::string(origin)),
              std::string::npos)
        << log;
    EXPECT_NE(log.find("app bug; stopping with exit status 70\n"), std::string::npos) << log;
    EXPECT_EQ(log.find("D-Bus connection lost"), std::string::npos) << log;
}

TEST(BluezCentral, AnAppHandlerThrowingInsideAReplyIsAnAppFault) {
    SimBluez sim;
    CentralHarness harness(on(sim));
    ports::BleCentral::Handlers handlers;
    handlers.adapterAvailable = [](bool) { throw std::runtime_error("app bug"); };
    harness.central().setHandlers(std::move(handlers));
    harness.central().start();
    expectAppFault(harness, "D-Bus reply (GetManagedObjects): ");
}

TEST(BluezCentral, AnAppHandlerThrowingInsideASignalIsAnAppFault) {
    SimBluez sim;
    CentralHarness harness(on(sim));
    ports::BleCentral::Handlers handlers;
    handlers.advertisement = [](const ports::Advertisement&) {
        throw std::runtime_error("app bug");
    };
    harness.central().setHandlers(std::move(handlers));
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    harness.central().startDiscovery();
    expectAppFault(harness, "D-Bus signal (");
}

TEST(BluezCentral, AdapterPowerFollowsPoweredAndResumesDiscovery) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;

    sim.setPowered(false);
    ASSERT_TRUE(harness.runUntil([&] { return !harness.central().available(); }));
    EXPECT_EQ(harness.availability, (std::vector<bool>{true, false}));
    EXPECT_EQ(harness.linksLost, (Lost{{locks[0].mac, "disconnected"}}));
    const auto refused = harness.connect(locks[0].mac);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, Errc::Unavailable);
    EXPECT_EQ(refused.error().message,
              "connect " + locks[0].mac + ": Bluetooth adapter unavailable");

    sim.setPowered(true);
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    EXPECT_EQ(harness.availability, (std::vector<bool>{true, false, true}));
    EXPECT_TRUE(harness.runUntil([&] { return sim.adapterDiscovering(); }));
    EXPECT_TRUE(harness.connect(locks[0].mac));
}

TEST(BluezCentral, DestroyedCentralAbandonsCallbacksAndItsLinksFailWrites) {
    SimBluez sim;
    const auto locks = sim.locks();
    CentralHarness harness(on(sim));
    discover(harness, locks);
    auto link = harness.connect(locks[0].mac);
    ASSERT_TRUE(link) << link.error().message;
    int answered = 0;
    harness.central().connect(locks[1].mac, 5s, [&](auto) { ++answered; });
    harness.central().connect("00:11:22:33:44:55", 5s, [&](auto) { ++answered; });
    (*link)->write(ports::Bytes(20, 0xEE), [&](const Result<void>&) { ++answered; });

    harness.destroyCentral();
    harness.runUntil([] { return false; }, 300ms);
    EXPECT_EQ(answered, 0);
    std::optional<Result<void>> written;
    (*link)->write({0x01}, [&](const Result<void>& r) { written = r; });
    ASSERT_TRUE(written);
    ASSERT_FALSE(*written);
    EXPECT_EQ(written->error().code, Errc::Unavailable);
    (*link)->disconnect();
}

TEST(BluezCentral, SystemBusFromTheEnvironmentAndAnyAdapter) {
    SimBluez sim({"--locks", "1", "--seed", "7", "--known"});
    ::setenv("DBUS_SYSTEM_BUS_ADDRESS", sim.address().c_str(), 1);
    BluezOptions options;
    options.adapter = "any";
    CentralHarness harness(options);
    harness.central().start();
    ASSERT_TRUE(harness.runUntil([&] { return harness.central().available(); }));
    ::unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
    // --known exports the lock at start: GetManagedObjects alone reports it.
    const auto known = harness.central().knownDevices();
    ASSERT_EQ(known.size(), 1u);
    EXPECT_EQ(known[0].mac, sim.locks()[0].mac);
    EXPECT_TRUE(harness.advertisements.contains(known[0].mac));
}

TEST(BluezCentral, MissingAdapterIsUnavailable) {
    SimBluez sim({"--locks", "1", "--seed", "7", "--known"});
    auto options = on(sim);
    options.adapter = "hci1";
    CentralHarness harness(options);
    harness.central().start();
    harness.runUntil([] { return false; }, 300ms);
    EXPECT_FALSE(harness.central().available());
    EXPECT_TRUE(harness.availability.empty());
    const auto result = harness.connect(sim.locks()[0].mac);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, Errc::Unavailable);
}

}  // namespace
}  // namespace lockhub::adapters::bluez::test
