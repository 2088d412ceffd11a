// org.bluez.Device1 for one simulated lock, with the GATT objects that exist while it is connected
// (or, once paired, for good), following bluetoothd's order of events: Connect → Connected=true →
// InterfacesAdded for the service and characteristics → ServicesResolved=true → Connect returns.
// Disconnect → ServicesResolved=false → Connected=false → InterfacesRemoved for the GATT objects of
// an unbonded device.
#pragma once

#include <sdbus-c++/MethodResult.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "adapters/systemd/EventLoop.h"
#include "sim/bluez/DeviceBackend.h"
#include "sim/bluez/GattCharacteristicObject.h"
#include "sim/bluez/GattDescriptorObject.h"
#include "sim/bluez/GattServiceObject.h"
#include "sim/bluez/LinkTiming.h"

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim::bluez {

struct DeviceContext {
    sdbus::IConnection& connection;
    adapters::systemd::EventLoop& loop;
    const LinkTiming& timing;
    std::mt19937& random;
    std::string adapterPath;
    std::function<bool()> adapterPowered;
};

// "AA:BB:CC:DD:EE:FF" → "<adapter>/dev_AA_BB_CC_DD_EE_FF".
std::string devicePath(const std::string& adapterPath, const std::string& address);

class DeviceObject : private LinkSink {
public:
    DeviceObject(DeviceContext context, DeviceBackend& backend);
    ~DeviceObject() override;  // closes the link and announces the removal
    DeviceObject(const DeviceObject&) = delete;
    DeviceObject& operator=(const DeviceObject&) = delete;

    void announce();  // InterfacesAdded
    const std::string& path() const { return path_; }
    bool connected() const { return state_ == State::Connected; }
    // Discovered but never connected nor paired (bluetoothd clears it in Connect and Pair).
    bool temporary() const { return temporary_ && state_ == State::Disconnected; }
    void setTemporary(bool temporary) { temporary_ = temporary; }

    // A scan saw the lock if it advertised since the last one: re-reads the advertisement and
    // emits PropertiesChanged for whatever changed.
    void scanned();
    // The lock's advertisement changed: it advertises at once, whatever its interval.
    void advertiseNow() { nextAdvertisement_ = {}; }
    // The link goes away without a Disconnect call: out of range, adapter off, fault injection.
    void loseLink();
    void clientGone(const std::string& uniqueName);

private:
    enum class State { Disconnected, Connecting, Connected };

    void registerInterface();
    void startConnect(sdbus::Result<>&& result);
    void finishConnect();
    void teardown();
    void createGatt();
    void dropGatt();
    void flushNotification();
    void refreshAdvertisement();

    void notify(std::vector<std::uint8_t> packet) override;
    void dropLink() override;

    DeviceContext context_;
    DeviceBackend& backend_;
    std::string address_;
    std::string path_;
    Advertisement advertisement_;
    std::string alias_;
    bool paired_ = false;
    bool temporary_ = true;
    bool trusted_ = false;
    bool blocked_ = false;
    bool servicesResolved_ = false;
    bool linkClosing_ = false;
    bool gattResolvedOnce_ = false;
    State state_ = State::Disconnected;
    std::optional<sdbus::Result<>> pendingConnect_;
    std::chrono::steady_clock::time_point nextAdvertisement_{};  // a sleeping lock's next event
    adapters::systemd::EventLoop::SourceId connectTimer_ = 0;
    adapters::systemd::EventLoop::SourceId dropTimer_ = 0;
    adapters::systemd::EventLoop::SourceId notifyTimer_ = 0;
    std::deque<std::vector<std::uint8_t>> notifyQueue_;
    std::unique_ptr<GattServiceObject> service_;
    std::unique_ptr<GattCharacteristicObject> writeChar_;
    std::unique_ptr<GattCharacteristicObject> notifyChar_;
    std::unique_ptr<GattDescriptorObject> ccc_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim::bluez
