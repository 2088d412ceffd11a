#include "sim/bluez/GattServiceObject.h"

#include <sdbus-c++/sdbus-c++.h>

#include "adapters/bluez/BluezNames.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

GattServiceObject::GattServiceObject(sdbus::IConnection& connection, std::string path,
                                     std::string uuid, std::string devicePath, std::uint16_t handle)
    : path_(std::move(path)),
      uuid_(std::move(uuid)),
      devicePath_(std::move(devicePath)),
      handle_(handle) {
    object_ = sdbus::createObject(connection, path_);
    const std::string iface = names::kGattService;
    object_->registerProperty("UUID").onInterface(iface).withGetter([this] { return uuid_; });
    object_->registerProperty("Primary").onInterface(iface).withGetter([] { return true; });
    object_->registerProperty("Device").onInterface(iface).withGetter(
        [this] { return sdbus::ObjectPath(devicePath_); });
    object_->registerProperty("Includes").onInterface(iface).withGetter([] {
        return std::vector<sdbus::ObjectPath>{};
    });
    object_->registerProperty("Handle").onInterface(iface).withGetter([this] { return handle_; });
    object_->finishRegistration();
}

GattServiceObject::~GattServiceObject() {
    try {
        object_->emitInterfacesRemovedSignal();
    } catch (const sdbus::Error&) {
        // The bus is gone; nobody is left to tell.
    }
}

void GattServiceObject::announce() {
    object_->emitInterfacesAddedSignal();
}

}  // namespace lockhub::sim::bluez
