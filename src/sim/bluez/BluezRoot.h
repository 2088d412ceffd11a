// The fixed part of bluetoothd's tree: the ObjectManager at "/" and /org/bluez with
// AgentManager1 (agents are accepted and ignored: the locks never ask for a passkey).
#pragma once

#include <memory>

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim::bluez {

class BluezRoot {
public:
    explicit BluezRoot(sdbus::IConnection& connection);
    ~BluezRoot();
    BluezRoot(const BluezRoot&) = delete;
    BluezRoot& operator=(const BluezRoot&) = delete;

private:
    std::unique_ptr<sdbus::IObject> root_;
    std::unique_ptr<sdbus::IObject> bluez_;
};

}  // namespace lockhub::sim::bluez
