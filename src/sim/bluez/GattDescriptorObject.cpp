#include "sim/bluez/GattDescriptorObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include "adapters/bluez/BluezNames.h"
#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

GattDescriptorObject::GattDescriptorObject(sdbus::IConnection& connection, std::string path,
                                           std::string characteristicPath, std::uint16_t handle,
                                           std::function<bool()> notifying,
                                           std::function<bool()> linkOpen)
    : path_(std::move(path)),
      characteristicPath_(std::move(characteristicPath)),
      handle_(handle),
      notifying_(std::move(notifying)),
      linkOpen_(std::move(linkOpen)) {
    object_ = sdbus::createObject(connection, path_);
    const std::string iface = names::kDescriptor;
    object_->registerProperty("UUID").onInterface(iface).withGetter(
        [] { return std::string("00002902") + names::kBaseUuidSuffix; });
    object_->registerProperty("Characteristic").onInterface(iface).withGetter([this] {
        return sdbus::ObjectPath(characteristicPath_);
    });
    object_->registerProperty("Value").onInterface(iface).withGetter([this] { return value(); });
    object_->registerProperty("Handle").onInterface(iface).withGetter([this] { return handle_; });
    object_->registerMethod("ReadValue")
        .onInterface(iface)
        .withInputParamNames("options")
        .withOutputParamNames("value")
        .implementedAs([this](const std::map<std::string, sdbus::Variant>&) {
            if (!linkOpen_()) {
                throwBluez(BluezErrc::Failed, "Not connected");
            }
            return value();
        });
    // bluetoothd keeps the CCC for itself: notifications are managed with StartNotify.
    object_->registerMethod("WriteValue")
        .onInterface(iface)
        .withInputParamNames("value", "options")
        .implementedAs(
            [](const std::vector<std::uint8_t>&, const std::map<std::string, sdbus::Variant>&) {
                throwBluez(BluezErrc::NotPermitted, "Write not permitted");
            });
    object_->finishRegistration();
}

GattDescriptorObject::~GattDescriptorObject() {
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void GattDescriptorObject::announce() {
    object_->emitInterfacesAddedSignal();
}

std::vector<std::uint8_t> GattDescriptorObject::value() const {
    return {static_cast<std::uint8_t>(notifying_() ? 0x01 : 0x00), 0x00};  // little-endian bits
}

}  // namespace lockhub::sim::bluez
