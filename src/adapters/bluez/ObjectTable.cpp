#include "adapters/bluez/ObjectTable.h"

#include <sdbus-c++/Error.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string_view>

#include "adapters/bluez/BluezNames.h"
#include "domain/lock/LockAddress.h"

namespace lockhub::adapters::bluez {
namespace {

// BlueZ's property types are fixed by its documentation; anything else is a broken peer, so the
// property is treated as absent rather than letting sdbus-c++'s exception escape.
template <typename T>
std::optional<T> as(const sdbus::Variant& value) {
    try {
        return value.get<T>();
    } catch (const sdbus::Error&) {
        return std::nullopt;
    }
}

template <typename T>
std::optional<T> read(const Properties& properties, const std::string& name) {
    const auto it = properties.find(name);
    if (it == properties.end()) {
        return std::nullopt;
    }
    return as<T>(it->second);
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::optional<ports::Bytes> serviceData(const std::map<std::string, sdbus::Variant>& data,
                                        std::string_view wantedUuid) {
    for (const auto& [uuid, value] : data) {
        if (lower(uuid) == wantedUuid) {
            return as<ports::Bytes>(value);
        }
    }
    return std::nullopt;
}

std::optional<ports::Bytes> tuyaManufacturerData(const Properties& properties) {
    const auto data = read<std::map<std::uint16_t, sdbus::Variant>>(properties, "ManufacturerData");
    if (!data) {
        return std::nullopt;
    }
    const auto it = data->find(static_cast<std::uint16_t>(names::kTuyaCompanyId));
    if (it == data->end()) {
        return std::nullopt;
    }
    return as<ports::Bytes>(it->second);
}

void applyDevice(DeviceRecord& device, const Properties& properties) {
    auto& ad = device.advertisement;
    if (auto address = read<std::string>(properties, "Address")) {
        ad.mac = domain::upper(*address);
    }
    if (auto name = read<std::string>(properties, "Name")) {
        ad.name = *name;
    }
    if (auto rssi = read<std::int16_t>(properties, "RSSI")) {
        ad.rssi = *rssi;
    }
    if (properties.contains("ServiceData")) {
        // The property carries every UUID's data at once: a UUID missing from it is gone.
        const auto data = read<std::map<std::string, sdbus::Variant>>(properties, "ServiceData")
                              .value_or(std::map<std::string, sdbus::Variant>{});
        ad.tuyaServiceData = serviceData(data, names::kTuyaServiceDataUuid);
        ad.tuyaFd50ServiceData = serviceData(data, names::kFd50ServiceUuid);
    }
    if (properties.contains("ManufacturerData")) {
        ad.tuyaManufacturerData = tuyaManufacturerData(properties);
    }
    if (auto connected = read<bool>(properties, "Connected")) {
        ad.connected = *connected;
    }
    if (auto resolved = read<bool>(properties, "ServicesResolved")) {
        device.servicesResolved = *resolved;
    }
}

void forgetDevice(DeviceRecord& device, const std::vector<std::string>& invalidated) {
    auto& ad = device.advertisement;
    for (const auto& name : invalidated) {
        if (name == "RSSI") {
            ad.rssi.reset();
        } else if (name == "ServiceData") {
            ad.tuyaServiceData.reset();
            ad.tuyaFd50ServiceData.reset();
        } else if (name == "ManufacturerData") {
            ad.tuyaManufacturerData.reset();
        }
    }
}

}  // namespace

bool isBelow(const std::string& path, const std::string& parent) {
    return path.size() > parent.size() + 1 && path.compare(0, parent.size(), parent) == 0 &&
           path[parent.size()] == '/';
}

void ObjectTable::clear() {
    adapters_.clear();
    devices_.clear();
    characteristics_.clear();
}

void ObjectTable::add(const std::string& path, const Interfaces& interfaces) {
    for (const auto& [interface, properties] : interfaces) {
        if (interface == names::kAdapter) {
            adapters_[path] = read<bool>(properties, "Powered").value_or(false);
        } else if (interface == names::kDevice) {
            auto& device = devices_[path];
            device.path = path;
            applyDevice(device, properties);
        } else if (interface == names::kCharacteristic) {
            characteristics_[path] = lower(read<std::string>(properties, "UUID").value_or(""));
        }
    }
}

void ObjectTable::remove(const std::string& path, const std::vector<std::string>& interfaces) {
    for (const auto& interface : interfaces) {
        if (interface == names::kAdapter) {
            adapters_.erase(path);
        } else if (interface == names::kDevice) {
            devices_.erase(path);
            // Nothing below a device outlives it, whatever order BlueZ's signals came in.
            std::erase_if(characteristics_,
                          [&](const auto& entry) { return isBelow(entry.first, path); });
        } else if (interface == names::kCharacteristic) {
            characteristics_.erase(path);
        }
    }
}

const DeviceRecord* ObjectTable::change(const std::string& path, const std::string& interface,
                                        const Properties& changed,
                                        const std::vector<std::string>& invalidated) {
    if (interface == names::kAdapter) {
        if (const auto it = adapters_.find(path); it != adapters_.end()) {
            it->second = read<bool>(changed, "Powered").value_or(it->second);
        }
    } else if (interface == names::kDevice) {
        if (const auto it = devices_.find(path); it != devices_.end()) {
            applyDevice(it->second, changed);
            forgetDevice(it->second, invalidated);
            return &it->second;
        }
    }
    return nullptr;
}

std::optional<std::string> ObjectTable::adapterPath(const std::string& choice) const {
    if (choice == "any") {
        if (adapters_.empty()) {
            return std::nullopt;
        }
        return adapters_.begin()->first;
    }
    const std::string path = "/org/bluez/" + choice;
    if (!adapters_.contains(path)) {
        return std::nullopt;
    }
    return path;
}

bool ObjectTable::powered(const std::string& adapterPath) const {
    const auto it = adapters_.find(adapterPath);
    return it != adapters_.end() && it->second;
}

const DeviceRecord* ObjectTable::device(const std::string& path) const {
    const auto it = devices_.find(path);
    return it == devices_.end() ? nullptr : &it->second;
}

const DeviceRecord* ObjectTable::deviceByMac(const std::string& adapterPath,
                                             const std::string& mac) const {
    const std::string wanted = domain::upper(mac);
    for (const auto& [path, device] : devices_) {
        if (isBelow(path, adapterPath) && device.advertisement.mac == wanted) {
            return &device;
        }
    }
    return nullptr;
}

std::vector<ports::Advertisement> ObjectTable::advertisements(
    const std::string& adapterPath) const {
    std::vector<ports::Advertisement> out;
    for (const auto& [path, device] : devices_) {
        if (isBelow(path, adapterPath)) {
            out.push_back(device.advertisement);
        }
    }
    return out;
}

std::optional<GattPaths> ObjectTable::gattPaths(const std::string& devicePath) const {
    for (const auto& layout : {names::kClassicLayout, names::kFd50Layout}) {
        GattPaths paths;
        for (const auto& [path, uuid] : characteristics_) {
            if (!isBelow(path, devicePath)) {
                continue;
            }
            if (uuid == layout.write) {
                paths.write = path;
            } else if (uuid == layout.notify) {
                paths.notify = path;
            }
        }
        if (!paths.write.empty() && !paths.notify.empty()) {
            return paths;
        }
    }
    return std::nullopt;
}

}  // namespace lockhub::adapters::bluez
