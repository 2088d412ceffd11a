// Port: the Bluetooth LE central as the app sees it: advertisements in, GATT links out. The
// BlueZ adapter implements it over D-Bus; nothing above this port knows whether bluetoothd or
// lockhub-sim answers. Every callback runs on the event loop thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "domain/Error.h"

namespace lockhub::ports {

using Bytes = std::vector<std::uint8_t>;

// What a scan saw of one device; MAC addresses are upper case "AA:BB:CC:DD:EE:FF".
struct Advertisement {
    std::string mac;
    std::string name;
    std::optional<std::int16_t> rssi;
    // Service data for UUID 0xA201, the v3 generation's advertising data: id type, then the
    // product id.
    std::optional<Bytes> tuyaServiceData;
    // Service data for UUID 0xFD50, the v4 generation's advertising data: frame control (bound,
    // shared, connect request), id type, id length, id.
    std::optional<Bytes> tuyaFd50ServiceData;
    // Manufacturer data for company 0x07D0: the v3 scan response (flags with the connect request,
    // protocol version, encrypted UUID) or the v4 scan response (encrypted UUID); BlueZ merges the
    // scan response into the device, so it is absent until an active scan received one.
    std::optional<Bytes> tuyaManufacturerData;
    bool connected = false;
};

// One connected, services-resolved device with notifications enabled on the Tuya notify
// characteristic (0x2B10, or the FD50 layout's notify characteristic).
class GattLink {
public:
    using WriteDone = std::function<void(const Result<void>&)>;

    virtual ~GattLink() = default;
    virtual const std::string& mac() const = 0;
    // Writes one packet (≤ MTU) to the write characteristic; completions arrive in order.
    virtual void write(const Bytes& packet, WriteDone done) = 0;
    // Idempotent. No linkLost callback follows a disconnect the app asked for.
    virtual void disconnect() = 0;
};

class BleCentral {
public:
    struct Handlers {
        std::function<void(const Advertisement&)> advertisement;
        // A notification (one GATT packet) from a connected link.
        std::function<void(const std::string& mac, const Bytes& packet)> notification;
        // The device disconnected, went away, or BlueZ itself vanished.
        std::function<void(const std::string& mac, const std::string& reason)> linkLost;
        // The adapter (or the whole BlueZ service) became usable (true) or unusable (false).
        std::function<void(bool available)> adapterAvailable;
    };
    using ConnectDone = std::function<void(Result<std::unique_ptr<GattLink>>)>;

    virtual ~BleCentral() = default;
    virtual void setHandlers(Handlers handlers) = 0;
    // Connects to the bus and watches BlueZ; retries by itself while BlueZ is absent.
    virtual void start() = 0;
    virtual bool available() const = 0;
    // Discovery with the Tuya filter; reference-counted by the caller's start/stop pairs.
    virtual void startDiscovery() = 0;
    virtual void stopDiscovery() = 0;
    // Devices BlueZ currently knows, as advertisements (from GetManagedObjects and updates).
    virtual std::vector<Advertisement> knownDevices() const = 0;
    // Connect, wait for ServicesResolved, find the characteristics, StartNotify; `done` gets the
    // link or a typed error (NotFound: unknown device; Timeout; Unavailable: no BlueZ/adapter;
    // Busy: in progress; Internal: anything else), within `timeout`.
    virtual void connect(const std::string& mac, std::chrono::milliseconds timeout,
                         ConnectDone done) = 0;
};

}  // namespace lockhub::ports
