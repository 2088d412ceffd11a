// A private dbus-daemon with lockhub-sim owning org.bluez on it: started, stopped and restarted
// by the test (BlueZ going away and coming back), driven with `lockhub-sim ctl`.
#pragma once

#include <csignal>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "protocol/tuya/HubSession.h"
#include "support/PrivateBus.h"
#include "support/Process.h"
#include "support/TempDir.h"

namespace lockhub::adapters::bluez::test {

struct SimLock {
    std::string name;
    std::string mac;
    std::string productId;
    int protocol = 0;
    protocol::tuya::HubSessionConfig session;
};

class SimBluez {
public:
    explicit SimBluez(std::vector<std::string> args = {"--locks", "2", "--seed", "7"});
    ~SimBluez();

    // Stays the same across stopBus()/startBus(): the bus socket lives in the same place.
    const std::string& address() const { return address_; }
    void start();  // returns once the sim printed "lockhub-sim ready"
    // Sends `signo` (SIGTERM: an orderly exit; SIGKILL: BlueZ vanishing at once) and waits.
    void stop(int signo = SIGTERM);
    // The whole bus goes away (the sim with it), then comes back at the same address.
    void stopBus();
    void startBus();
    // `lockhub-sim ctl COMMAND ARGS…`; returns its stdout, throws if it fails.
    std::string ctl(const std::vector<std::string>& command);
    // hci0's Discovering and Powered, through BlueZ's API as any other client sees them.
    bool adapterDiscovering() const;
    void setPowered(bool powered) const;
    // The sim's credentials file as it is now.
    std::vector<SimLock> locks() const;

private:
    testing::TempDir dir_;
    std::unique_ptr<testing::PrivateBus> bus_;
    std::string address_;
    std::vector<std::string> args_;
    std::unique_ptr<testing::Process> process_;
    int runs_ = 0;
    int ctlRuns_ = 0;
};

}  // namespace lockhub::adapters::bluez::test
