// The simulator's world: adapters exported on the org.bluez connection and the locks within
// their reach. Adding or removing a lock rewrites the credentials file, so the file always lists
// exactly the locks a hub can find.
#pragma once

#include <sdbus-c++/IConnection.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "adapters/systemd/EventLoop.h"
#include "adapters/systemd/OsRandom.h"
#include "domain/Error.h"
#include "sim/bluez/AdapterObject.h"
#include "sim/bluez/BluezRoot.h"
#include "sim/bluez/DiscoveryFaults.h"
#include "sim/bluez/LinkTiming.h"
#include "sim/host/LockHost.h"

namespace sdbus {
class IConnection;
}

namespace lockhub::sim {

struct SimHostOptions {
    std::uint64_t seed = 1;
    bluez::LinkTiming timing;
    std::filesystem::path credentialsFile;  // empty: none written
    VirtualLockOptions lockOptions;
    PowerSource defaultPower = PowerSource::Mains;  // --realistic: battery, unless a lock says
    bool known = false;  // devices exported at start, as if bluetoothd had them in storage
};

class SimHost {
public:
    SimHost(adapters::systemd::EventLoop& loop, sdbus::IConnection& bluezConnection,
            SimHostOptions options);
    ~SimHost();
    SimHost(const SimHost&) = delete;
    SimHost& operator=(const SimHost&) = delete;

    // The identity the next generated lock gets (deterministic from the seed and its index).
    SimLockIdentity nextIdentity() const;
    // BadRequest if the name or MAC is taken; Storage if the credentials file can't be written.
    Result<void> addLock(const SimLockIdentity& identity);
    // Start-up: the configured locks (overrides of generated identities), then generated ones up
    // to `total`, with one credentials write at the end. Config errors name the offending key.
    Result<void> populate(const std::vector<nlohmann::json>& overrides, std::uint32_t total);
    Result<void> removeLock(const std::string& name);
    LockHost* find(const std::string& name);
    std::vector<SimLockIdentity> identities() const;

    // Radio faults.
    bool dropConnection(const std::string& name);
    void setInRange(const std::string& name, bool inRange);
    bluez::DiscoveryFaults& discoveryFaults() { return discoveryFaults_; }

private:
    bluez::AdapterObject& adapterFor(const std::string& name);
    Result<void> insertLock(const SimLockIdentity& identity);
    Result<void> writeCredentials() const;

    adapters::systemd::EventLoop& loop_;
    sdbus::IConnection& connection_;
    SimHostOptions options_;
    std::mt19937 random_;
    adapters::systemd::OsRandom osRandom_;
    std::uint32_t generated_ = 0;
    bluez::BluezRoot root_;
    bluez::DiscoveryFaults discoveryFaults_;  // before adapters_, which refer to it
    std::map<std::string, std::unique_ptr<bluez::AdapterObject>> adapters_;
    std::map<std::string, std::unique_ptr<LockHost>> locks_;  // by name, in name order
    std::vector<std::string> order_;                          // names in the order added
    sdbus::Slot nameWatch_;  // NameOwnerChanged: clients leaving the bus
};

}  // namespace lockhub::sim
