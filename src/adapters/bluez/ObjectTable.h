// What the adapter knows of BlueZ's object tree: adapters (and whether they are powered), devices
// as advertisements, and GATT characteristics by UUID. Fed from GetManagedObjects,
// InterfacesAdded/Removed and PropertiesChanged; a property of an unexpected D-Bus type is ignored,
// never trusted or thrown.
#pragma once

#include <sdbus-c++/Types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ports/BleCentral.h"

namespace lockhub::adapters::bluez {

using Properties = std::map<std::string, sdbus::Variant>;
using Interfaces = std::map<std::string, Properties>;

struct DeviceRecord {
    std::string path;
    ports::Advertisement advertisement;
    bool servicesResolved = false;
};

struct GattPaths {
    std::string write;
    std::string notify;
};

class ObjectTable {
public:
    void clear();

    // Applies one object's interfaces (GetManagedObjects / InterfacesAdded).
    void add(const std::string& path, const Interfaces& interfaces);
    // Removes the named interfaces of one object (InterfacesRemoved); a device takes its GATT
    // objects with it, so the table holds only what BlueZ still exports.
    void remove(const std::string& path, const std::vector<std::string>& interfaces);
    // Applies a PropertiesChanged; returns the device it changed, if it is one. BlueZ
    // invalidates RSSI (and advertising data) when a device is no longer being scanned.
    const DeviceRecord* change(const std::string& path, const std::string& interface,
                               const Properties& changed,
                               const std::vector<std::string>& invalidated = {});

    // "hci0" picks /org/bluez/hci0; "any" the first adapter in path order.
    std::optional<std::string> adapterPath(const std::string& choice) const;
    bool powered(const std::string& adapterPath) const;

    const DeviceRecord* device(const std::string& path) const;
    const DeviceRecord* deviceByMac(const std::string& adapterPath, const std::string& mac) const;
    std::vector<ports::Advertisement> advertisements(const std::string& adapterPath) const;
    // The Tuya write/notify pair under a device (classic 0x2B11/0x2B10 first, then FD50).
    std::optional<GattPaths> gattPaths(const std::string& devicePath) const;

private:
    std::map<std::string, bool> adapters_;  // path → Powered
    std::map<std::string, DeviceRecord> devices_;
    std::map<std::string, std::string> characteristics_;  // path → lower-case UUID
};

// Whether `path` lies strictly below `parent` in the object tree.
bool isBelow(const std::string& path, const std::string& parent);

}  // namespace lockhub::adapters::bluez
