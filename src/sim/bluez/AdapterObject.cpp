#include "sim/bluez/AdapterObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>

#include "adapters/bluez/BluezNames.h"
#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

namespace {

using std::chrono::microseconds;

const std::vector<std::string> kFilterKeys = {
    "UUIDs", "RSSI", "Pathloss", "Transport", "DuplicateData", "Discoverable", "Pattern"};

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

}  // namespace

AdapterObject::AdapterObject(sdbus::IConnection& connection, adapters::systemd::EventLoop& loop,
                             std::string name, std::string address, const LinkTiming& timing,
                             std::mt19937& random, DiscoveryFaults& faults)
    : connection_(connection),
      loop_(loop),
      name_(std::move(name)),
      address_(std::move(address)),
      path_("/org/bluez/" + name_),
      timing_(timing),
      random_(random),
      faults_(faults) {
    registerInterface();
}

AdapterObject::~AdapterObject() {
    loop_.cancel(scanTimer_);
    loop_.cancel(expiryTimer_);
    devices_.clear();
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void AdapterObject::registerInterface() {
    object_ = sdbus::createObject(connection_, path_);
    const std::string iface = names::kAdapter;
    object_->registerProperty("Address").onInterface(iface).withGetter([this] { return address_; });
    object_->registerProperty("AddressType").onInterface(iface).withGetter([] {
        return std::string("public");
    });
    object_->registerProperty("Name").onInterface(iface).withGetter(
        [] { return std::string("lockhub-sim"); });
    object_->registerProperty("Alias")
        .onInterface(iface)
        .withGetter([this] { return alias_.empty() ? std::string("lockhub-sim") : alias_; })
        .withSetter([this](const std::string& alias) {
            alias_ = alias;
            object_->emitPropertiesChangedSignal(names::kAdapter, {"Alias"});
        });
    object_->registerProperty("Class").onInterface(iface).withGetter(
        [] { return std::uint32_t{0}; });
    object_->registerProperty("Powered")
        .onInterface(iface)
        .withGetter([this] { return powered_; })
        .withSetter([this](const bool& on) { setPowered(on); });
    object_->registerProperty("PowerState").onInterface(iface).withGetter([this] {
        return std::string(powered_ ? "on" : "off");
    });
    object_->registerProperty("Discoverable")
        .onInterface(iface)
        .withGetter([this] { return discoverable_; })
        .withSetter([this](const bool& on) {
            discoverable_ = on;
            object_->emitPropertiesChangedSignal(names::kAdapter, {"Discoverable"});
        });
    object_->registerProperty("DiscoverableTimeout").onInterface(iface).withGetter([] {
        return std::uint32_t{180};
    });
    object_->registerProperty("Pairable")
        .onInterface(iface)
        .withGetter([this] { return pairable_; })
        .withSetter([this](const bool& on) {
            pairable_ = on;
            object_->emitPropertiesChangedSignal(names::kAdapter, {"Pairable"});
        });
    object_->registerProperty("PairableTimeout").onInterface(iface).withGetter([] {
        return std::uint32_t{0};
    });
    object_->registerProperty("Discovering").onInterface(iface).withGetter([this] {
        return !sessions_.empty();
    });
    object_->registerProperty("UUIDs").onInterface(iface).withGetter([] {
        return std::vector<std::string>{std::string("00001800") + names::kBaseUuidSuffix,
                                        std::string("00001801") + names::kBaseUuidSuffix};
    });
    object_->registerProperty("Modalias").onInterface(iface).withGetter([] {
        return std::string("usb:v1D6Bp0246d0542");
    });
    object_->registerProperty("Roles").onInterface(iface).withGetter([] {
        return std::vector<std::string>{"central", "peripheral"};
    });

    object_->registerMethod("StartDiscovery").onInterface(iface).implementedAs([this] {
        faults_.startCalls.push_back(std::chrono::steady_clock::now());
        if (!powered_) {
            throwBluez(BluezErrc::NotReady);
        }
        if (faults_.refusal) {
            throwBluez(*faults_.refusal);
        }
        if (!sessions_.insert(sender()).second) {
            throwBluez(BluezErrc::InProgress, "Operation already in progress");  // btd_error_busy
        }
        if (sessions_.size() == 1) {
            loop_.cancel(expiryTimer_);
            expiryTimer_ = 0;
            object_->emitPropertiesChangedSignal(names::kAdapter, {"Discovering"});
        }
        scheduleScan(microseconds(0));
    });
    object_->registerMethod("StopDiscovery").onInterface(iface).implementedAs([this] {
        if (!powered_) {
            throwBluez(BluezErrc::NotReady);
        }
        if (sessions_.erase(sender()) == 0) {
            throwBluez(BluezErrc::Failed, "No discovery started");
        }
        if (sessions_.empty()) {
            discoveryStopped();
        }
    });
    object_->registerMethod("SetDiscoveryFilter")
        .onInterface(iface)
        .withInputParamNames("filter")
        .implementedAs([this](const std::map<std::string, sdbus::Variant>& filter) {
            if (!powered_) {
                throwBluez(BluezErrc::NotReady);
            }
            if (filter.empty()) {
                filters_.erase(sender());
                return;
            }
            filters_[sender()] = parseFilter(filter);
        });
    object_->registerMethod("GetDiscoveryFilters")
        .onInterface(iface)
        .withOutputParamNames("filters")
        .implementedAs([] { return kFilterKeys; });
    object_->registerMethod("RemoveDevice")
        .onInterface(iface)
        .withInputParamNames("device")
        .implementedAs([this](const sdbus::ObjectPath& device) {
            const auto found = std::find_if(devices_.begin(), devices_.end(), [&](const auto& d) {
                return d.second->path() == device;
            });
            if (found == devices_.end()) {
                throwBluez(BluezErrc::DoesNotExist);
            }
            devices_.erase(found);
        });
    object_->finishRegistration();
}

DiscoveryFilter AdapterObject::parseFilter(
    const std::map<std::string, sdbus::Variant>& filter) const {
    DiscoveryFilter parsed;
    try {
        for (const auto& [key, value] : filter) {
            if (key == "UUIDs") {
                parsed.uuids = value.get<std::vector<std::string>>();
                for (auto& uuid : parsed.uuids) {
                    uuid = lower(uuid);
                    if (uuid.size() == 4) {
                        uuid = "0000" + uuid + names::kBaseUuidSuffix;
                    } else if (uuid.size() == 8) {
                        uuid += names::kBaseUuidSuffix;
                    } else if (uuid.size() != 36) {
                        throwBluez(BluezErrc::InvalidArguments);
                    }
                }
            } else if (key == "RSSI") {
                parsed.rssi = value.get<std::int16_t>();
            } else if (key == "Pathloss") {
                parsed.pathloss = value.get<std::uint16_t>();
            } else if (key == "Transport") {
                parsed.transport = value.get<std::string>();
                if (parsed.transport != "auto" && parsed.transport != "bredr" &&
                    parsed.transport != "le") {
                    throwBluez(BluezErrc::InvalidArguments);
                }
            } else if (key == "DuplicateData") {
                parsed.duplicateData = value.get<bool>();
            } else if (key == "Discoverable") {
                parsed.discoverable = value.get<bool>();
            } else if (key == "Pattern") {
                parsed.pattern = value.get<std::string>();
            } else {
                throwBluez(BluezErrc::InvalidArguments);
            }
        }
    } catch (const sdbus::Error& e) {
        if (e.getName().rfind("org.bluez.", 0) == 0) {
            throw;
        }
        throwBluez(BluezErrc::InvalidArguments);  // a value of the wrong D-Bus type
    }
    if (parsed.rssi && parsed.pathloss) {
        throwBluez(BluezErrc::InvalidArguments);  // BlueZ accepts one or the other
    }
    return parsed;
}

std::string AdapterObject::sender() const {
    const auto* message = object_->getCurrentlyProcessedMessage();
    return message != nullptr ? message->getSender() : std::string();
}

void AdapterObject::announce() {
    object_->emitInterfacesAddedSignal();
}

void AdapterObject::attach(DeviceBackend& backend, bool known) {
    backends_[backend.address()] = &backend;
    if (known) {
        addDevice(backend).setTemporary(false);
    }
    if (!sessions_.empty()) {
        scheduleScan(microseconds(0));
    }
}

void AdapterObject::detach(const std::string& address) {
    devices_.erase(address);
    backends_.erase(address);
}

void AdapterObject::backendChanged(const std::string& address) {
    const auto backend = backends_.find(address);
    const auto device = devices_.find(address);
    if (backend == backends_.end() || device == devices_.end()) {
        return;
    }
    if (!backend->second->inRange()) {
        device->second->loseLink();
    } else if (!sessions_.empty()) {
        device->second->advertiseNow();
        scheduleScan(microseconds(0));
    }
}

bool AdapterObject::loseLink(const std::string& address) {
    const auto device = devices_.find(address);
    if (device == devices_.end() || !device->second->connected()) {
        return false;
    }
    device->second->loseLink();
    return true;
}

void AdapterObject::clientGone(const std::string& uniqueName) {
    filters_.erase(uniqueName);
    if (sessions_.erase(uniqueName) > 0 && sessions_.empty()) {
        discoveryStopped();
    }
    for (auto& [address, device] : devices_) {
        device->clientGone(uniqueName);
    }
}

void AdapterObject::setPowered(bool on) {
    if (on == powered_) {
        return;
    }
    powered_ = on;
    if (!on) {
        for (auto& [address, device] : devices_) {
            device->loseLink();
        }
        if (!sessions_.empty()) {
            sessions_.clear();
            discoveryStopped();
        }
    }
    object_->emitPropertiesChangedSignal(names::kAdapter, {"Powered", "PowerState"});
}

void AdapterObject::discoveryStopped() {
    loop_.cancel(scanTimer_);
    scanTimer_ = 0;
    object_->emitPropertiesChangedSignal(names::kAdapter, {"Discovering"});
    if (timing_.temporaryTimeout.count() > 0) {
        expiryTimer_ = loop_.addTimer(timing_.temporaryTimeout, [this] {
            expiryTimer_ = 0;
            std::erase_if(devices_, [](const auto& entry) { return entry.second->temporary(); });
        });
    }
}

void AdapterObject::scheduleScan(microseconds delay) {
    loop_.cancel(scanTimer_);
    scanTimer_ = loop_.addTimer(delay, [this] {
        scanTimer_ = 0;
        scan();
    });
}

bool AdapterObject::visible(DeviceBackend& backend) const {
    if (!backend.inRange()) {
        return false;
    }
    const auto advertisement = backend.advertisement();
    bool anyUnfiltered = false;
    for (const auto& session : sessions_) {
        const auto filter = filters_.find(session);
        if (filter == filters_.end()) {
            anyUnfiltered = true;
            break;
        }
        const auto& f = filter->second;
        if (f.transport == "bredr") {
            continue;  // the locks are LE-only
        }
        if (f.rssi && advertisement.rssi < *f.rssi) {
            continue;
        }
        if (!f.uuids.empty() &&
            std::none_of(f.uuids.begin(), f.uuids.end(), [&](const std::string& uuid) {
                return std::find(advertisement.serviceUuids.begin(),
                                 advertisement.serviceUuids.end(),
                                 uuid) != advertisement.serviceUuids.end();
            })) {
            continue;
        }
        if (!f.pattern.empty() && backend.address().rfind(f.pattern, 0) != 0 &&
            advertisement.name.rfind(f.pattern, 0) != 0) {
            continue;
        }
        return true;
    }
    return anyUnfiltered;
}

DeviceObject& AdapterObject::addDevice(DeviceBackend& backend) {
    auto created = std::make_unique<DeviceObject>(
        DeviceContext{connection_, loop_, timing_, random_, path_, [this] { return powered_; }},
        backend);
    created->announce();
    return *devices_.emplace(backend.address(), std::move(created)).first->second;
}

void AdapterObject::scan() {
    if (sessions_.empty()) {
        return;
    }
    for (auto& [address, backend] : backends_) {
        if (!visible(*backend)) {
            continue;
        }
        auto device = devices_.find(address);
        if (device == devices_.end()) {
            addDevice(*backend);
        } else {
            device->second->scanned();
        }
    }
    scheduleScan(timing_.rssiInterval);
}

}  // namespace lockhub::sim::bluez
