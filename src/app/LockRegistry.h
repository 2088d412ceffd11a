// The paired locks (design §2): each one's stored record, its profile's translator and encoder,
// and its LockLink. The registry routes what the radio reports to the right link, keeps BlueZ
// scanning while a lock is unreachable, and tells the other services what its links report
// through hooks; it decides nothing about what a report means.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/ConnectionSlots.h"
#include "app/LockLink.h"
#include "domain/lock/CommandEncoder.h"
#include "domain/lock/DpProfile.h"
#include "domain/lock/DpTranslator.h"
#include "ports/BleCentral.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct PairedLock {
    ports::LockRecord record;
    domain::DpTranslator translator;
    domain::CommandEncoder encoder;
    std::unique_ptr<LockLink> link;
};

struct LockRegistryOptions {
    LinkPolicy policy;  // the configuration's defaults; each lock's stored policy overrides them
    std::size_t maxConnections = 5;
    std::map<std::string, domain::DpProfile> profiles;
    std::string defaultProfile = "tuya-ble-lock";
};

class LockRegistry {
public:
    // What a service wants to hear about; any member may stay empty.
    struct Hooks {
        std::function<void(PairedLock&)> added;     // adopted at start-up or after pairing
        std::function<void(PairedLock&)> removing;  // about to be stopped and forgotten
        std::function<void(PairedLock&, const ReportHandle&, const protocol::tuya::DpReport&)>
            report;
        std::function<void(PairedLock&)> ready;  // handshake done, on every connection
        std::function<void(PairedLock&, bool online)> availability;
        std::function<void(PairedLock&, LinkState)> linkState;
        std::function<void(PairedLock&, std::optional<std::int16_t> rssi)> seen;
    };
    // Where BLE traffic for an address that is not paired goes (a pairing attempt's link).
    using ProbeLookup = std::function<LockLink*(const std::string& mac)>;

    LockRegistry(LockRegistryOptions options, ports::LockStore& store, ports::BleCentral& ble,
                 ports::Scheduler& scheduler, protocol::tuya::RandomSource& random);
    ~LockRegistry();
    LockRegistry(const LockRegistry&) = delete;
    LockRegistry& operator=(const LockRegistry&) = delete;

    void subscribe(Hooks hooks);
    void setProbeLookup(ProbeLookup lookup) { probes_ = std::move(lookup); }
    // Every advertisement, for scan results (after the paired lock's link has seen it).
    void onAdvertisement(std::function<void(const ports::Advertisement&)> listener);
    // Told after a lock took a new name (applyName), for what shows the name (Home Assistant). Not
    // a Hooks member, which every service would have to spell out.
    void onRenamed(std::function<void(PairedLock&)> listener);

    // Takes the radio's handlers, adopts the stored locks and starts the radio.
    Result<void> start();
    PairedLock& adopt(ports::LockRecord record);
    // Stops the lock's link and forgets it; it is destroyed on the next loop turn, because this
    // may run inside one of its own callbacks.
    void remove(PairedLock& lock);

    PairedLock* byMac(const std::string& mac);
    PairedLock* byTopic(std::string_view topic);
    // byTopic for a request that names a lock: the NotFound error every such op answers with.
    Result<PairedLock*> lockCalled(std::string_view topic);
    PairedLock* byId(std::int64_t id);
    std::vector<PairedLock*> all();

    bool hasProfile(const std::string& name) const { return options_.profiles.contains(name); }
    const std::string& defaultProfile() const { return options_.defaultProfile; }
    const LinkPolicy& policy() const { return options_.policy; }
    // The defaults with the lock's own settings applied.
    LinkPolicy policyFor(const ports::LockPolicy& stored) const;
    // An `always` link keeps its slot: it yields to commands, pairing, connect requests and
    // polls, never to another standing link, so an `always` lock beyond the connection slots
    // would never be connected. LimitReached for a policy that would make one (`changing`: the
    // lock whose policy it replaces; nullptr for a lock being paired).
    Result<void> admits(const ports::LockPolicy& policy, const PairedLock* changing) const;
    // A stored policy changed: the link follows it at once.
    void applyPolicy(PairedLock& lock, ports::LockPolicy policy);
    // A stored name changed: the lock takes it and the onRenamed listeners hear of it at once.
    void applyName(PairedLock& lock, std::string name);
    // A link for a lock that is not (yet) paired, sharing the connection slots.
    std::unique_ptr<LockLink> makeLink(const ports::LockRecord& record, LinkPolicy policy,
                                       LockLink::Events events);

private:
    template <typename Hook, typename... Args>
    void notify(Hook Hooks::*hook, Args&&... args);
    void routeBle();
    // A paired lock advertising under an address it was not paired with, known by the device
    // UUID its advertisement carries (encrypted; reference §1.2): moved there, or nullptr.
    PairedLock* recognise(const ports::Advertisement& advertisement);
    void updateDiscovery();
    std::size_t alwaysConnected(const PairedLock* except) const;

    LockRegistryOptions options_;
    ports::LockStore& store_;
    ports::BleCentral& ble_;
    ports::Scheduler& scheduler_;
    protocol::tuya::RandomSource& random_;
    ConnectionSlots slots_;
    std::vector<Hooks> hooks_;
    std::vector<std::function<void(const ports::Advertisement&)>> advertisementListeners_;
    std::vector<std::function<void(PairedLock&)>> renameListeners_;
    ProbeLookup probes_;
    std::map<std::string, std::unique_ptr<PairedLock>> locks_;  // by MAC
    std::map<std::int64_t, bool> online_;                       // by lock id, once known
    // Addresses whose advertisement names no paired lock, so it is decrypted once (bounded).
    std::set<std::string> strangers_;
    std::set<std::int64_t> unmovable_;  // locks whose new MAC the store refused, warned about
    bool discovering_ = false;
};

}  // namespace lockhub
