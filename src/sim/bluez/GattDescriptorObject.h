// org.bluez.GattDescriptor1 for the notify characteristic's Client Characteristic Configuration
// descriptor (0x2902), as bluetoothd exports it: UUID, Characteristic, Value, Handle; ReadValue
// returns the CCC as the lock holds it, WriteValue is refused (clients use StartNotify).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim::bluez {

class GattDescriptorObject {
public:
    // `notifying` tells whether the lock's CCC has notifications on; `linkOpen` whether a read
    // can reach the lock.
    GattDescriptorObject(sdbus::IConnection& connection, std::string path,
                         std::string characteristicPath, std::uint16_t handle,
                         std::function<bool()> notifying, std::function<bool()> linkOpen);
    ~GattDescriptorObject();  // announces its removal (InterfacesRemoved)
    GattDescriptorObject(const GattDescriptorObject&) = delete;
    GattDescriptorObject& operator=(const GattDescriptorObject&) = delete;

    void announce();  // InterfacesAdded

private:
    std::vector<std::uint8_t> value() const;

    std::string path_;
    std::string characteristicPath_;
    std::uint16_t handle_;
    std::function<bool()> notifying_;
    std::function<bool()> linkOpen_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim::bluez
