// ports::BleCentral over BlueZ's D-Bus API (sdbus-c++ 1.2), on the daemon's event loop. Every
// BlueZ call is asynchronous (a blocked call would stall the whole hub); the device table is kept
// from GetManagedObjects plus InterfacesAdded/Removed and PropertiesChanged, and BlueZ leaving or
// rejoining the bus (NameOwnerChanged) drops every link or re-reads everything; a failed bus
// connection is reopened every BluezOptions::retryInterval. Refused discovery is retried with a
// jittered back-off (docs/bluetooth.md). connect() answers from the loop, never from inside the
// call. Works the same against bluetoothd and lockhub-sim.
#pragma once

#include <sdbus-c++/TypeTraits.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "adapters/bluez/BluezLink.h"
#include "adapters/bluez/BluezOptions.h"
#include "adapters/bluez/ObjectTable.h"
#include "adapters/systemd/EventLoop.h"
#include "domain/Backoff.h"
#include "ports/BleCentral.h"

namespace sdbus {
class Error;
class IConnection;
class IProxy;
class Message;
}  // namespace sdbus

namespace lockhub::adapters::bluez {

class BusLoop;

class BluezCentral final : public ports::BleCentral, private LinkOwner {
public:
    // `loop` must outlive the central. Destroying the central abandons every pending callback
    // (connect, write): none is called; links it handed out then fail writes at once.
    BluezCentral(systemd::EventLoop& loop, BluezOptions options);
    ~BluezCentral() override;
    BluezCentral(const BluezCentral&) = delete;
    BluezCentral& operator=(const BluezCentral&) = delete;

    void setHandlers(Handlers handlers) override;
    void start() override;
    bool available() const override { return available_; }
    void startDiscovery() override;
    void stopDiscovery() override;
    std::vector<ports::Advertisement> knownDevices() const override;
    void connect(const std::string& mac, std::chrono::milliseconds timeout,
                 ConnectDone done) override;

private:
    using Reply = std::function<void(const sdbus::Error* error)>;

    struct Attempt {
        std::uint64_t id = 0;
        std::string devicePath;
        ConnectDone done;
        systemd::EventLoop::SourceId timer = 0;
        std::chrono::milliseconds timeout{0};
        bool connected = false;  // Device1.Connect answered
        bool notifying = false;  // StartNotify sent
        GattPaths gatt;
    };

    // The bus connection and BlueZ's presence on it.
    void openBus();
    void onBusFailure(const std::string& reason);
    void closeBus(const std::string& reason);
    // Runs `action` from a fresh loop iteration (outside the caller and any sd-bus dispatch).
    void defer(std::function<void()> action);
    void retryLater(systemd::EventLoop::SourceId& timer, std::chrono::milliseconds delay,
                    std::function<void()> action);
    void loadObjects();
    void onObjectsLoaded(const std::map<std::string, Interfaces>& objects);
    void bluezGone(const std::string& reason);
    // Re-derives availability from BlueZ's presence and the chosen adapter; on losing it, every
    // attempt and link ends with `reason`.
    void updateAvailability(const std::string& reason);
    void dropAll(const std::string& reason);

    void onObjectsReply(std::uint64_t serial, const sdbus::Error* error,
                        const std::map<sdbus::ObjectPath, Interfaces>& objects);

    // Signals.
    void onNameOwnerChanged(sdbus::Message& message);
    void onInterfacesAdded(sdbus::Message& message);
    void onInterfacesRemoved(sdbus::Message& message);
    void onPropertiesChanged(sdbus::Message& message);
    void onCharacteristicChanged(sdbus::Message& message);
    void onDeviceChanged(const DeviceRecord& device);
    void report(const DeviceRecord& device);

    void syncDiscovery();
    // The adapter refused discovery: the next attempt waits for the back-off; only the first
    // refusal in a row is a warning.
    void discoveryRefused(const sdbus::Error& error);
    void discoveryStarted();
    void resetDiscoveryBackoff();

    // Connection attempts, keyed by MAC; `id` tells a reply for an abandoned attempt apart.
    Attempt* attempt(const std::string& mac, std::uint64_t id);
    void advance(const std::string& mac);
    void succeed(const std::string& mac);
    void failAttempt(const std::string& mac, Error error, bool disconnect);

    void writeLink(const std::shared_ptr<LinkState>& link, const ports::Bytes& packet,
                   ports::GattLink::WriteDone done) override;
    void releaseLink(const std::shared_ptr<LinkState>& link) override;
    void closeLink(const std::string& mac, const std::string& reason, bool notifyApp,
                   bool disconnectDevice);

    // App code runs inside the central's D-Bus callbacks, and sdbus-c++ 1.2 would swallow an
    // sdbus::Error thrown there: each runs behind the loop's firewall (BusLoop.h).
    sdbus::message_handler guardedSignal(std::string_view member,
                                         void (BluezCentral::*handler)(sdbus::Message&));
    sdbus::IProxy& proxy(const std::string& path);
    // A device BlueZ removed: its proxies and those of its GATT objects go too, so that devices
    // seen once (passers-by, unpaired locks) leave nothing behind.
    void forgetProxies(const std::string& devicePath);
    // One asynchronous call with no results; a call that cannot even be sent (the bus is gone)
    // reports its error through `reply` from the loop, never as an exception.
    template <typename... Args>
    void call(const std::string& path, std::string_view interface, const std::string& method,
              std::chrono::milliseconds timeout, Reply reply, const Args&... args);
    void disconnectDevice(const std::string& devicePath);

    systemd::EventLoop& loop_;
    BluezOptions options_;
    Handlers handlers_;
    bool started_ = false;

    std::unique_ptr<sdbus::IConnection> connection_;
    std::unique_ptr<BusLoop> busLoop_;
    std::vector<sdbus::Slot> matches_;
    std::map<std::string, std::unique_ptr<sdbus::IProxy>> proxies_;
    systemd::EventLoop::SourceId retryTimer_ = 0;
    std::set<systemd::EventLoop::SourceId> deferred_;
    systemd::EventLoop::SourceId discoveryTimer_ = 0;

    ObjectTable table_;
    bool bluezPresent_ = false;
    std::uint64_t loadSerial_ = 0;
    std::string adapterPath_;
    bool available_ = false;
    // Bumped whenever the adapter becomes unusable, so replies to calls made before are ignored.
    std::uint64_t epoch_ = 0;

    int discoveryUsers_ = 0;
    bool discovering_ = false;
    bool discoveryPending_ = false;
    Backoff discoveryBackoff_;
    std::mt19937 jitter_;

    std::map<std::string, Attempt> attempts_;
    std::uint64_t nextAttempt_ = 1;
    std::map<std::string, std::shared_ptr<LinkState>> links_;
    ports::Bytes packetBuffer_;
};

}  // namespace lockhub::adapters::bluez
