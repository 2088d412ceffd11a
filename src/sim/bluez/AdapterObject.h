// org.bluez.Adapter1 at /org/bluez/hciN and the devices it has discovered. Discovery sessions are
// per D-Bus client, as in bluetoothd: Discovering is true while any client holds one, and each
// client may set its own filter (UUIDs, RSSI, Pattern narrow what it sees; the union of all filters
// decides which locks appear). Devices appear through InterfacesAdded while discovery runs and get
// RSSI/advertisement refreshes. A device nobody connected or paired is temporary, as in
// bluetoothd: it is removed LinkTiming::temporaryTimeout after discovery stops. DiscoveryFaults can
// make StartDiscovery refuse.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "adapters/systemd/EventLoop.h"
#include "sim/bluez/DeviceObject.h"
#include "sim/bluez/DiscoveryFaults.h"
#include "sim/bluez/LinkTiming.h"

namespace sdbus {
class IConnection;
class IObject;
class Variant;
}  // namespace sdbus

namespace lockhub::sim::bluez {

struct DiscoveryFilter {
    std::vector<std::string> uuids;
    std::optional<std::int16_t> rssi;
    std::optional<std::uint16_t> pathloss;
    std::string transport = "auto";
    bool duplicateData = true;
    bool discoverable = false;
    std::string pattern;
};

class AdapterObject {
public:
    AdapterObject(sdbus::IConnection& connection, adapters::systemd::EventLoop& loop,
                  std::string name, std::string address, const LinkTiming& timing,
                  std::mt19937& random, DiscoveryFaults& faults);
    ~AdapterObject();
    AdapterObject(const AdapterObject&) = delete;
    AdapterObject& operator=(const AdapterObject&) = delete;

    void announce();  // InterfacesAdded
    const std::string& path() const { return path_; }

    // A lock within reach of this adapter. The backend must outlive its registration. `known`
    // exports its device at once, as bluetoothd does for devices in its storage at start-up.
    void attach(DeviceBackend& backend, bool known);
    void detach(const std::string& address);  // the lock is gone: its device object goes too
    // The lock's radio state changed (range, advertisement): drop links, refresh, discover.
    void backendChanged(const std::string& address);
    // Fault injection: the link breaks with no Disconnect call.
    bool loseLink(const std::string& address);
    // A D-Bus client left the bus: its discovery session, filter and notify sessions end.
    void clientGone(const std::string& uniqueName);

private:
    void registerInterface();
    // The last discovery session ended: Discovering=false, and temporary devices expire later.
    void discoveryStopped();
    void scan();
    DeviceObject& addDevice(DeviceBackend& backend);
    void scheduleScan(std::chrono::microseconds delay);
    bool visible(DeviceBackend& backend) const;
    DiscoveryFilter parseFilter(const std::map<std::string, sdbus::Variant>& filter) const;
    std::string sender() const;
    void setPowered(bool on);

    sdbus::IConnection& connection_;
    adapters::systemd::EventLoop& loop_;
    std::string name_;
    std::string address_;
    std::string path_;
    std::string alias_;
    const LinkTiming& timing_;
    std::mt19937& random_;
    DiscoveryFaults& faults_;
    bool powered_ = true;
    bool discoverable_ = false;
    bool pairable_ = true;
    std::set<std::string> sessions_;                  // senders holding a discovery session
    std::map<std::string, DiscoveryFilter> filters_;  // sender → its SetDiscoveryFilter
    adapters::systemd::EventLoop::SourceId scanTimer_ = 0;
    adapters::systemd::EventLoop::SourceId expiryTimer_ = 0;
    std::map<std::string, DeviceBackend*> backends_;
    std::map<std::string, std::unique_ptr<DeviceObject>> devices_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim::bluez
