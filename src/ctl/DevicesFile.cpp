#include "ctl/DevicesFile.h"

#include <algorithm>

namespace lockhub::ctl {
namespace {

using nlohmann::json;

std::string text(const json& device, const char* key) {
    const auto it = device.find(key);
    if (it == device.end() || it->is_null()) {
        return {};
    }
    return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string label(const TuyaDevice& device) {
    return "\"" + (device.name.empty() ? device.id : device.name) + "\"";
}

Outcome<void> checkPairable(const TuyaDevice& device) {
    std::vector<std::string> missing;
    if (device.id.empty()) {
        missing.push_back("id");
    }
    if (device.key.empty()) {
        missing.push_back("key");
    }
    if (device.mac.empty()) {
        missing.push_back("mac");
    }
    if (device.uuid.empty()) {
        missing.push_back("uuid");
    }
    if (missing.empty()) {
        return {};
    }
    std::string fields;
    for (const auto& name : missing) {
        fields += (fields.empty() ? "" : ", ") + name;
    }
    return failure(Exit::Failed, "device " + label(device) + " has no " + fields +
                                     ": a Bluetooth lock needs id, key, mac and uuid");
}

}  // namespace

Outcome<std::vector<TuyaDevice>> parseDevicesFile(const std::string& content,
                                                  const std::string& source) {
    const auto document = json::parse(content, nullptr, false);
    if (document.is_discarded() || !document.is_array()) {
        return failure(Exit::Failed, source +
                                         ": not a tinytuya devices.json (expected a JSON array "
                                         "of devices, as `python -m tinytuya wizard` writes)");
    }
    std::vector<TuyaDevice> devices;
    for (std::size_t i = 0; i < document.size(); ++i) {
        const auto& entry = document[i];
        if (!entry.is_object()) {
            return failure(Exit::Failed,
                           source + ": entry " + std::to_string(i) + " is not an object");
        }
        devices.push_back({text(entry, "name"), text(entry, "id"), SecretString(text(entry, "key")),
                           text(entry, "mac"), text(entry, "uuid"), text(entry, "product_id")});
    }
    return devices;
}

Outcome<std::vector<TuyaDevice>> selectDevices(const std::vector<TuyaDevice>& devices,
                                               const std::vector<std::string>& selectors) {
    std::vector<TuyaDevice> chosen;
    if (selectors.empty()) {
        if (devices.size() != 1) {
            std::string names;
            for (const auto& device : devices) {
                names += (names.empty() ? "" : ", ") + label(device);
            }
            return usage("the file holds " + std::to_string(devices.size()) +
                         " devices; name the ones to pair by name or id: " + names);
        }
        chosen.push_back(devices.front());
    }
    for (const auto& selector : selectors) {
        const auto it = std::find_if(devices.begin(), devices.end(), [&](const TuyaDevice& d) {
            return d.name == selector || d.id == selector;
        });
        if (it == devices.end()) {
            return failure(Exit::Failed, "no device is called or has the id \"" + selector + "\"");
        }
        chosen.push_back(*it);
    }
    for (const auto& device : chosen) {
        if (auto ok = checkPairable(device); !ok) {
            return tl::unexpected(ok.error());
        }
    }
    return chosen;
}

json pairRequestFor(const TuyaDevice& device) {
    json request = {{"mac", device.mac},
                    {"uuid", device.uuid},
                    {"local_key", device.key.reveal()},
                    {"device_id", device.id},
                    {"name", device.name.empty() ? device.id : device.name}};
    if (!device.productId.empty()) {
        request["product_id"] = device.productId;
    }
    return request;
}

}  // namespace lockhub::ctl
