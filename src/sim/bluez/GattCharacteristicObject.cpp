#include "sim/bluez/GattCharacteristicObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include <algorithm>

#include "sim/bluez/BluezError.h"
#include "sim/bluez/BluezNames.h"

namespace lockhub::sim::bluez {
namespace {

using Options = std::map<std::string, sdbus::Variant>;

constexpr std::uint16_t kMtu = 23;      // Tuya locks never raise the ATT MTU (§1.3)
constexpr std::size_t kMaxValue = 512;  // largest attribute value the ATT protocol allows

// BlueZ's parse_options(): "offset" must be q, "type" one of command/request/reliable.
struct WriteOptions {
    std::uint16_t offset = 0;
    std::string type;
};

WriteOptions parseOptions(const Options& options) {
    WriteOptions parsed;
    for (const auto& [key, value] : options) {
        try {
            if (key == "offset") {
                parsed.offset = value.get<std::uint16_t>();
            } else if (key == "type") {
                parsed.type = value.get<std::string>();
                if (parsed.type != "command" && parsed.type != "request" &&
                    parsed.type != "reliable") {
                    throwBluez(BluezErrc::InvalidArguments);
                }
            }
        } catch (const sdbus::Error& e) {
            if (e.getName().rfind("org.bluez.", 0) == 0) {
                throw;
            }
            throwBluez(BluezErrc::InvalidArguments);
        }
    }
    return parsed;
}

}  // namespace

GattCharacteristicObject::GattCharacteristicObject(sdbus::IConnection& connection, Spec spec,
                                                   WriteHandler onWrite,
                                                   std::function<bool()> linkOpen)
    : spec_(std::move(spec)), onWrite_(std::move(onWrite)), linkOpen_(std::move(linkOpen)) {
    object_ = sdbus::createObject(connection, spec_.path);
    const std::string iface = kGattCharacteristicInterface;
    object_->registerProperty("UUID").onInterface(iface).withGetter([this] { return spec_.uuid; });
    object_->registerProperty("Service").onInterface(iface).withGetter(
        [this] { return sdbus::ObjectPath(spec_.servicePath); });
    object_->registerProperty("Value").onInterface(iface).withGetter([this] { return value_; });
    object_->registerProperty("Notifying").onInterface(iface).withGetter([this] {
        return notifying();
    });
    object_->registerProperty("Flags").onInterface(iface).withGetter(
        [this] { return spec_.flags; });
    object_->registerProperty("Handle").onInterface(iface).withGetter(
        [this] { return spec_.handle; });
    object_->registerProperty("MTU").onInterface(iface).withGetter([] { return kMtu; });

    object_->registerMethod("ReadValue")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("value")
        .implementedAs([this](const Options& options) -> std::vector<std::uint8_t> {
            const auto parsed = parseOptions(options);
            if (!has("read")) {
                throwBluez(BluezErrc::NotPermitted, "Read not permitted");
            }
            if (!linkOpen_()) {
                throwBluez(BluezErrc::NotConnected);
            }
            if (parsed.offset > value_.size()) {
                throwBluez(BluezErrc::InvalidOffset);
            }
            return {value_.begin() + parsed.offset, value_.end()};
        });
    object_->registerMethod("WriteValue")
        .onInterface(iface)
        .withInputParamNames("value", "options")
        .implementedAs([this](const std::vector<std::uint8_t>& value, const Options& options) {
            const auto parsed = parseOptions(options);
            const bool command =
                parsed.type == "command" ||
                (parsed.type.empty() && !has("write") && has("write-without-response"));
            if (!onWrite_ || (command && !has("write-without-response")) ||
                (!command && !has("write"))) {
                throwBluez(BluezErrc::NotPermitted, "Write not permitted");
            }
            if (parsed.offset != 0) {
                throwBluez(BluezErrc::InvalidOffset);
            }
            if (value.size() > kMaxValue || (command && value.size() > kMtu - 3u)) {
                throwBluez(BluezErrc::InvalidValueLength);
            }
            if (!linkOpen_()) {
                throwBluez(BluezErrc::NotConnected);
            }
            onWrite_(value);
        });
    object_->registerMethod("StartNotify").onInterface(iface).implementedAs([this] {
        if (!has("notify") && !has("indicate")) {
            throwBluez(BluezErrc::NotSupported, "Operation is not supported");
        }
        if (!linkOpen_()) {
            throwBluez(BluezErrc::NotConnected);
        }
        const bool was = notifying();
        if (!notifySessions_.insert(sender()).second) {
            throwBluez(BluezErrc::InProgress);
        }
        if (!was) {
            object_->emitPropertiesChangedSignal(kGattCharacteristicInterface, {"Notifying"});
        }
    });
    object_->registerMethod("StopNotify").onInterface(iface).implementedAs([this] {
        if (notifySessions_.erase(sender()) == 0) {
            throwBluez(BluezErrc::Failed, "No notify session started");
        }
        if (!notifying()) {
            object_->emitPropertiesChangedSignal(kGattCharacteristicInterface, {"Notifying"});
        }
    });
    object_->finishRegistration();
}

GattCharacteristicObject::~GattCharacteristicObject() {
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void GattCharacteristicObject::announce() {
    object_->emitInterfacesAddedSignal();
}

bool GattCharacteristicObject::notify(std::vector<std::uint8_t> value) {
    if (!notifying()) {
        return false;
    }
    value_ = std::move(value);
    object_->emitPropertiesChangedSignal(kGattCharacteristicInterface, {"Value"});
    return true;
}

void GattCharacteristicObject::endNotifySessions() {
    if (notifying()) {
        notifySessions_.clear();
        object_->emitPropertiesChangedSignal(kGattCharacteristicInterface, {"Notifying"});
    }
}

void GattCharacteristicObject::clientGone(const std::string& uniqueName) {
    if (notifySessions_.erase(uniqueName) > 0 && !notifying()) {
        object_->emitPropertiesChangedSignal(kGattCharacteristicInterface, {"Notifying"});
    }
}

bool GattCharacteristicObject::has(const std::string& flag) const {
    return std::find(spec_.flags.begin(), spec_.flags.end(), flag) != spec_.flags.end();
}

std::string GattCharacteristicObject::sender() const {
    const auto* message = object_->getCurrentlyProcessedMessage();
    return message != nullptr ? message->getSender() : std::string();
}

}  // namespace lockhub::sim::bluez
