#include "sim/bluez/BluezRoot.h"

#include <sdbus-c++/sdbus-c++.h>

#include "adapters/bluez/BluezNames.h"
#include "sim/bluez/BluezError.h"

namespace lockhub::sim::bluez {

namespace names = adapters::bluez::names;

BluezRoot::BluezRoot(sdbus::IConnection& connection) {
    root_ = sdbus::createObject(connection, "/");
    root_->addObjectManager();
    root_->finishRegistration();

    bluez_ = sdbus::createObject(connection, "/org/bluez");
    const std::string iface = names::kAgentManager;
    bluez_->registerMethod("RegisterAgent")
        .onInterface(iface)
        .withInputParamNames("agent", "capability")
        .implementedAs([](const sdbus::ObjectPath&, const std::string& capability) {
            static const char* const kCapabilities[] = {"",
                                                        "DisplayOnly",
                                                        "DisplayYesNo",
                                                        "KeyboardOnly",
                                                        "NoInputNoOutput",
                                                        "KeyboardDisplay"};
            for (const char* known : kCapabilities) {
                if (capability == known) {
                    return;
                }
            }
            throwBluez(BluezErrc::InvalidArguments);
        });
    bluez_->registerMethod("UnregisterAgent")
        .onInterface(iface)
        .withInputParamNames("agent")
        .implementedAs([](const sdbus::ObjectPath&) {});
    bluez_->registerMethod("RequestDefaultAgent")
        .onInterface(iface)
        .withInputParamNames("agent")
        .implementedAs([](const sdbus::ObjectPath&) {});
    bluez_->finishRegistration();
}

BluezRoot::~BluezRoot() = default;

}  // namespace lockhub::sim::bluez
