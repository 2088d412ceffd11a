// org.lockhub.Sim1 at /org/lockhub/Sim: the simulator's remote control for tests, the demo and
// `lockhub-sim ctl`. Exported on its own connection (bus name org.lockhub.Sim) so that org.bluez's
// ObjectManager lists only BlueZ objects. Every method validates its input and answers bad input
// with an org.lockhub.Sim.Error.* reply; nothing a client sends stops the simulator.
#pragma once

#include <memory>

#include "sim/host/SimHost.h"

namespace sdbus {
class IConnection;
class IObject;
}  // namespace sdbus

namespace lockhub::sim {

inline constexpr const char* kSimBusName = "org.lockhub.Sim";
inline constexpr const char* kSimObjectPath = "/org/lockhub/Sim";
inline constexpr const char* kSimInterface = "org.lockhub.Sim1";

class SimControl {
public:
    SimControl(sdbus::IConnection& connection, SimHost& host);
    ~SimControl();
    SimControl(const SimControl&) = delete;
    SimControl& operator=(const SimControl&) = delete;

private:
    LockHost& lock(const std::string& name);

    SimHost& host_;
    std::unique_ptr<sdbus::IObject> object_;
};

}  // namespace lockhub::sim
