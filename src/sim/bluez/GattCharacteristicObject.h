// org.bluez.GattCharacteristic1 as bluetoothd exports a remote characteristic (gatt-client.c):
// UUID, Service, Value, Notifying, Flags, Handle, MTU, and WriteAcquired / NotifyAcquired where
// the flags allow them; ReadValue, WriteValue, AcquireWrite, AcquireNotify, StartNotify,
// StopNotify. Notify sessions are per D-Bus client, as in BlueZ; Notifying is true while any
// client holds one (or the notify socket is acquired). A notification is a PropertiesChanged of
// Value, or a packet on the acquired socket.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "adapters/systemd/EventLoop.h"
#include "sim/bluez/AcquiredSocket.h"

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim::bluez {

class GattCharacteristicObject {
public:
    using WriteHandler = std::function<void(std::vector<std::uint8_t>)>;

    struct Spec {
        std::string path;
        std::string uuid;
        std::string servicePath;
        std::vector<std::string> flags;
        std::uint16_t handle = 0;
    };

    // `onWrite` is null for a characteristic without write flags. `linkOpen` says whether the link
    // may carry an operation right now (false while a teardown is pending).
    GattCharacteristicObject(sdbus::IConnection& connection, adapters::systemd::EventLoop& loop,
                             Spec spec, WriteHandler onWrite, std::function<bool()> linkOpen);
    ~GattCharacteristicObject();  // announces its removal (InterfacesRemoved)
    GattCharacteristicObject(const GattCharacteristicObject&) = delete;
    GattCharacteristicObject& operator=(const GattCharacteristicObject&) = delete;

    void announce();  // InterfacesAdded
    // Emits the notification if a client enabled them (the lock's CCC), else it is lost as on air.
    bool notify(std::vector<std::uint8_t> value);
    // Notifications flow while the link is open and some client holds a session.
    bool notifying() const {
        return linkOpen_() && (!notifySessions_.empty() || notifySocket_ != nullptr);
    }
    // The link went down: acquired sockets close, as bluetoothd drops them with the ATT link.
    void releaseAcquired();
    // Emits Notifying when the link or the sessions changed it. Sessions survive a disconnect
    // of a bonded device (the object stays) and are registered again on reconnection.
    void refreshNotifying();
    // A D-Bus client left the bus: its notify session ends, as bluetoothd's disconnect watch does.
    void clientGone(const std::string& uniqueName);

private:
    bool has(const std::string& flag) const;
    void registerAcquire(const std::string& iface);
    void setWriteSocket(std::unique_ptr<AcquiredSocket> socket);
    void setNotifySocket(std::unique_ptr<AcquiredSocket> socket);
    std::string sender() const;

    adapters::systemd::EventLoop& loop_;
    Spec spec_;
    WriteHandler onWrite_;
    std::function<bool()> linkOpen_;
    std::vector<std::uint8_t> value_;
    std::set<std::string> notifySessions_;
    bool announcedNotifying_ = false;
    std::unique_ptr<AcquiredSocket> writeSocket_;
    std::unique_ptr<AcquiredSocket> notifySocket_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim::bluez
