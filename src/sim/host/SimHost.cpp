#include "sim/host/SimHost.h"

#include <fcntl.h>
#include <sdbus-c++/Message.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sim/host/IdentityJson.h"

namespace lockhub::sim {

SimHost::SimHost(adapters::systemd::EventLoop& loop, sdbus::IConnection& bluezConnection,
                 SimHostOptions options)
    : loop_(loop),
      connection_(bluezConnection),
      options_(std::move(options)),
      random_(static_cast<std::mt19937::result_type>(options_.seed)),
      root_(bluezConnection) {
    adapterFor("hci0");
    nameWatch_ = connection_.addMatch(
        "type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',"
        "member='NameOwnerChanged'",
        [this](sdbus::Message& message) {
            std::string name, oldOwner, newOwner;
            try {
                message >> name >> oldOwner >> newOwner;
            } catch (const sdbus::Error&) {
                return;  // not the bus daemon's signature; nothing to clean up
            }
            if (newOwner.empty() && !name.empty() && name[0] == ':') {
                for (auto& [adapterName, adapter] : adapters_) {
                    adapter->clientGone(name);
                }
            }
        });
}

SimHost::~SimHost() {
    // Devices reference their locks: take the devices down first.
    for (const auto& [name, lock] : locks_) {
        adapterFor(lock->lock().identity().adapter).detach(lock->address());
    }
    locks_.clear();
    adapters_.clear();
}

bluez::AdapterObject& SimHost::adapterFor(const std::string& name) {
    auto found = adapters_.find(name);
    if (found == adapters_.end()) {
        const auto index = std::stoi(name.substr(3));
        char address[18];
        std::snprintf(address, sizeof address, "00:1A:7D:DA:71:%02X", index & 0xFF);
        auto adapter = std::make_unique<bluez::AdapterObject>(
            connection_, loop_, name, address, options_.timing, random_, discoveryFaults_);
        adapter->announce();
        found = adapters_.emplace(name, std::move(adapter)).first;
    }
    return *found->second;
}

SimLockIdentity SimHost::nextIdentity() const {
    auto identity = generateIdentity(options_.seed, generated_);
    identity.power.source = options_.defaultPower;
    // A lock added by hand may have taken the generated name; keep names unique.
    for (std::uint32_t n = generated_ + 2; locks_.contains(identity.name); ++n) {
        identity.name = "lock" + std::to_string(n);
    }
    return identity;
}

Result<void> SimHost::addLock(const SimLockIdentity& identity) {
    if (auto inserted = insertLock(identity); !inserted) {
        return inserted;
    }
    return writeCredentials();
}

Result<void> SimHost::populate(const std::vector<nlohmann::json>& overrides, std::uint32_t total) {
    for (const auto& lock : overrides) {
        auto identity = identityFromJson(lock, nextIdentity());
        if (!identity) {
            return tl::unexpected(identity.error());
        }
        if (auto inserted = insertLock(*identity); !inserted) {
            return inserted;
        }
    }
    while (locks_.size() < total) {
        if (auto inserted = insertLock(nextIdentity()); !inserted) {
            return inserted;
        }
    }
    return writeCredentials();
}

Result<void> SimHost::insertLock(const SimLockIdentity& identity) {
    if (locks_.contains(identity.name)) {
        return fail(Errc::BadRequest, "a lock named " + identity.name + " exists");
    }
    for (const auto& [name, lock] : locks_) {
        if (lock->address() == identity.mac) {
            return fail(Errc::BadRequest, "MAC " + identity.mac + " is taken by " + name);
        }
    }
    ++generated_;  // every lock consumes an index, so generated identities never repeat
    const auto rssi = static_cast<std::int16_t>(-48 - static_cast<int>(locks_.size() % 8) * 4);
    auto host = std::make_unique<LockHost>(
        loop_, VirtualLock(identity, osRandom_, options_.lockOptions), random_, rssi,
        [this, adapter = identity.adapter, mac = identity.mac] {
            adapterFor(adapter).backendChanged(mac);
        });
    auto& adapter = adapterFor(identity.adapter);
    adapter.attach(*host, options_.known);
    locks_.emplace(identity.name, std::move(host));
    order_.push_back(identity.name);
    return {};
}

Result<void> SimHost::removeLock(const std::string& name) {
    auto found = locks_.find(name);
    if (found == locks_.end()) {
        return fail(Errc::NotFound, "no lock named " + name);
    }
    adapterFor(found->second->lock().identity().adapter).detach(found->second->address());
    locks_.erase(found);
    std::erase(order_, name);
    return writeCredentials();
}

LockHost* SimHost::find(const std::string& name) {
    auto found = locks_.find(name);
    return found == locks_.end() ? nullptr : found->second.get();
}

std::vector<SimLockIdentity> SimHost::identities() const {
    std::vector<SimLockIdentity> out;
    for (const auto& name : order_) {
        out.push_back(locks_.at(name)->lock().identity());
    }
    return out;
}

bool SimHost::dropConnection(const std::string& name) {
    auto* lock = find(name);
    return lock != nullptr && adapterFor(lock->lock().identity().adapter).loseLink(lock->address());
}

void SimHost::setInRange(const std::string& name, bool inRange) {
    if (auto* lock = find(name)) {
        lock->setInRange(inRange);
        adapterFor(lock->lock().identity().adapter).backendChanged(lock->address());
    }
}

Result<void> SimHost::writeCredentials() const {
    if (options_.credentialsFile.empty()) {
        return {};
    }
    nlohmann::json locks = nlohmann::json::array();
    for (const auto& identity : identities()) {
        locks.push_back(identityToJson(identity));
    }
    const auto text = nlohmann::json{{"locks", locks}}.dump(2) + "\n";
    // Written beside the target and renamed, so a reader never sees half a file; 0600 because it
    // holds every lock's local key.
    const auto temp = options_.credentialsFile.string() + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return fail(Errc::Storage, "cannot write " + temp + ": " + std::strerror(errno));
    }
    ::fchmod(fd, 0600);
    const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    const bool closed = ::close(fd) == 0;
    if (!written || !closed || std::rename(temp.c_str(), options_.credentialsFile.c_str()) != 0) {
        return fail(Errc::Storage, "cannot write " + options_.credentialsFile.string());
    }
    return {};
}

}  // namespace lockhub::sim
