// org.bluez.GattService1 of a remote primary service: UUID, Primary, Device, Includes, Handle.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim::bluez {

class GattServiceObject {
public:
    GattServiceObject(sdbus::IConnection& connection, std::string path, std::string uuid,
                      std::string devicePath, std::uint16_t handle);
    ~GattServiceObject();  // announces its removal (InterfacesRemoved)
    GattServiceObject(const GattServiceObject&) = delete;
    GattServiceObject& operator=(const GattServiceObject&) = delete;

    void announce();  // InterfacesAdded
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::string uuid_;
    std::string devicePath_;
    std::uint16_t handle_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim::bluez
