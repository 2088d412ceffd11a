#include "app/LockRegistry.h"

#include <algorithm>

#include "app/Log.h"
#include "app/ScannedAdvertisement.h"

namespace lockhub {
namespace {

constexpr std::string_view kLocksTag = "locks";
// Unpaired Tuya devices remembered as "not ours"; a hub near a block of flats may hear many.
constexpr std::size_t kMaxStrangers = 256;

LockIdentity identityOf(const ports::LockRecord& record) {
    return {record.mac, record.uuid, record.deviceId,
            SecretString(record.localKey.reveal().substr(0, 6)),
            record.protocolVersion >= 4 ? protocol::tuya::ProtocolVersion::V4
                                        : protocol::tuya::ProtocolVersion::V3};
}

}  // namespace

LockRegistry::LockRegistry(LockRegistryOptions options, ports::LockStore& store,
                           ports::BleCentral& ble, ports::Scheduler& scheduler,
                           protocol::tuya::RandomSource& random)
    : options_(std::move(options)),
      store_(store),
      ble_(ble),
      scheduler_(scheduler),
      random_(random),
      slots_(options_.maxConnections) {}

LockRegistry::~LockRegistry() {
    slots_.close();
    hooks_.clear();
}

void LockRegistry::subscribe(Hooks hooks) {
    hooks_.push_back(std::move(hooks));
}

void LockRegistry::onAdvertisement(std::function<void(const ports::Advertisement&)> listener) {
    advertisementListeners_.push_back(std::move(listener));
}

void LockRegistry::onRenamed(std::function<void(PairedLock&)> listener) {
    renameListeners_.push_back(std::move(listener));
}

template <typename Hook, typename... Args>
void LockRegistry::notify(Hook Hooks::*hook, Args&&... args) {
    for (auto& hooks : hooks_) {
        if (hooks.*hook) {
            (hooks.*hook)(args...);
        }
    }
}

Result<void> LockRegistry::start() {
    routeBle();
    auto stored = store_.locks();
    if (!stored) {
        return tl::unexpected(stored.error());
    }
    for (auto& record : *stored) {
        adopt(std::move(record));
    }
    ble_.start();
    log::info(kLocksTag, std::to_string(locks_.size()) + " paired locks");
    // Only a lowered bluetooth.max_connections gets here: pairing and lock/set_policy refuse it.
    if (const auto always = alwaysConnected(nullptr); always > options_.maxConnections) {
        log::warning(kLocksTag,
                     std::to_string(always) + " locks are kept connected (always) but " +
                         "bluetooth.max_connections is " + std::to_string(options_.maxConnections) +
                         ": the locks left without a slot connect only when one of the "
                         "others disconnects; set their policy to on_demand or keep_alive");
    }
    return {};
}

std::unique_ptr<LockLink> LockRegistry::makeLink(const ports::LockRecord& record, LinkPolicy policy,
                                                 LockLink::Events events) {
    return std::make_unique<LockLink>(identityOf(record), policy, ble_, scheduler_, random_, slots_,
                                      std::move(events));
}

PairedLock& LockRegistry::adopt(ports::LockRecord record) {
    auto profile = options_.profiles.find(record.profile);
    if (profile == options_.profiles.end()) {
        log::error(
            kLocksTag,
            "unknown profile \"" + record.profile + "\"; using \"" + options_.defaultProfile + "\"",
            {{"LOCK", record.topic}});
        profile = options_.profiles.find(options_.defaultProfile);
    }
    auto lock = std::unique_ptr<PairedLock>(
        new PairedLock{record, domain::DpTranslator(profile->second),
                       domain::CommandEncoder(profile->second), nullptr});
    PairedLock& ref = *lock;
    LockLink::Events events;
    events.ready = [this, &ref] { notify(&Hooks::ready, ref); };
    events.report = [this, &ref](const ReportHandle& handle,
                                 const protocol::tuya::DpReport& report) {
        notify(&Hooks::report, ref, handle, report);
    };
    events.availability = [this, &ref](bool online) {
        online_[ref.record.id] = online;
        notify(&Hooks::availability, ref, online);
        updateDiscovery();
    };
    events.stateChanged = [this, &ref](LinkState state) { notify(&Hooks::linkState, ref, state); };
    events.seen = [this, &ref] { notify(&Hooks::seen, ref, ref.link->rssi()); };
    ref.link = makeLink(record, policyFor(record.policy), std::move(events));
    locks_[record.mac] = std::move(lock);
    notify(&Hooks::added, ref);
    ref.link->start();
    // Learn the state once at start-up, whatever the policy.
    ref.link->wake();
    updateDiscovery();
    return ref;
}

LinkPolicy LockRegistry::policyFor(const ports::LockPolicy& stored) const {
    LinkPolicy policy = options_.policy;
    if (auto mode = stored.mode ? parseLinkMode(*stored.mode) : std::nullopt) {
        policy.mode = *mode;
    }
    if (stored.keepAliveS) {
        policy.keepAlive = std::chrono::seconds(*stored.keepAliveS);
    }
    if (stored.pollIntervalS) {
        policy.pollInterval = std::chrono::seconds(*stored.pollIntervalS);
    }
    if (stored.availabilityTimeoutS) {
        policy.availabilityTimeout = std::chrono::seconds(*stored.availabilityTimeoutS);
    }
    return policy;
}

std::size_t LockRegistry::alwaysConnected(const PairedLock* except) const {
    return static_cast<std::size_t>(
        std::count_if(locks_.begin(), locks_.end(), [&](const auto& entry) {
            return entry.second.get() != except &&
                   entry.second->link->policy().mode == LinkPolicy::Mode::Always;
        }));
}

Result<void> LockRegistry::admits(const ports::LockPolicy& policy,
                                  const PairedLock* changing) const {
    if (policyFor(policy).mode != LinkPolicy::Mode::Always ||
        alwaysConnected(changing) < options_.maxConnections) {
        return {};
    }
    return fail(Errc::LimitReached,
                "policy always: " + std::to_string(options_.maxConnections) +
                    " locks are kept connected already, as many as bluetooth.max_connections "
                    "allows; choose on_demand or keep_alive, or raise the limit");
}

void LockRegistry::applyPolicy(PairedLock& lock, ports::LockPolicy policy) {
    lock.record.policy = std::move(policy);
    lock.link->setPolicy(policyFor(lock.record.policy));
    updateDiscovery();
}

void LockRegistry::applyName(PairedLock& lock, std::string name) {
    lock.record.name = std::move(name);
    for (const auto& listener : renameListeners_) {
        listener(lock);
    }
}

void LockRegistry::remove(PairedLock& lock) {
    notify(&Hooks::removing, lock);
    lock.link->stop("lock removed");
    online_.erase(lock.record.id);
    std::shared_ptr<PairedLock> gone = std::move(locks_[lock.record.mac]);
    locks_.erase(gone->record.mac);
    scheduler_.after(std::chrono::milliseconds(0), [gone] {});
    updateDiscovery();
}

PairedLock* LockRegistry::byMac(const std::string& mac) {
    auto it = locks_.find(mac);
    return it == locks_.end() ? nullptr : it->second.get();
}

PairedLock* LockRegistry::byTopic(std::string_view topic) {
    for (auto& [mac, lock] : locks_) {
        if (lock->record.topic == topic) {
            return lock.get();
        }
    }
    return nullptr;
}

Result<PairedLock*> LockRegistry::lockCalled(std::string_view topic) {
    if (PairedLock* lock = byTopic(topic)) {
        return lock;
    }
    return fail(Errc::NotFound, "no paired lock is called \"" + std::string(topic) + "\"");
}

PairedLock* LockRegistry::byId(std::int64_t id) {
    for (auto& [mac, lock] : locks_) {
        if (lock->record.id == id) {
            return lock.get();
        }
    }
    return nullptr;
}

std::vector<PairedLock*> LockRegistry::all() {
    std::vector<PairedLock*> out;
    for (auto& [mac, lock] : locks_) {
        out.push_back(lock.get());
    }
    return out;
}

void LockRegistry::routeBle() {
    auto linkFor = [this](const std::string& mac) -> LockLink* {
        if (auto* lock = byMac(mac)) {
            return lock->link.get();
        }
        return probes_ ? probes_(mac) : nullptr;
    };
    ble_.setHandlers({
        .advertisement =
            [this](const ports::Advertisement& advertisement) {
                auto* lock = byMac(advertisement.mac);
                if (!lock) {
                    lock = recognise(advertisement);
                }
                if (lock) {
                    lock->link->onAdvertisement(advertisement);
                }
                for (const auto& listener : advertisementListeners_) {
                    listener(advertisement);
                }
            },
        .notification =
            [linkFor](const std::string& mac, const ports::Bytes& packet) {
                if (auto* link = linkFor(mac)) {
                    link->onNotification(packet);
                }
            },
        .linkLost =
            [linkFor](const std::string& mac, const std::string& reason) {
                if (auto* link = linkFor(mac)) {
                    link->onLinkLost(reason);
                }
            },
        .adapterAvailable =
            [this](bool available) {
                log::info(kLocksTag,
                          std::string("bluetooth ") + (available ? "available" : "unavailable"));
                for (auto& [mac, lock] : locks_) {
                    lock->link->onAdapterAvailable(available);
                }
            },
    });
}

PairedLock* LockRegistry::recognise(const ports::Advertisement& advertisement) {
    if (!advertisement.tuyaManufacturerData || strangers_.contains(advertisement.mac) ||
        (probes_ && probes_(advertisement.mac))) {
        return nullptr;
    }
    const auto parsed = parseScanned(advertisement);
    const auto uuid = parsed ? protocol::tuya::decryptAdvertisedUuid(*parsed) : std::nullopt;
    auto found = std::find_if(locks_.begin(), locks_.end(), [&](const auto& entry) {
        return uuid && entry.second->record.uuid == *uuid;
    });
    if (found == locks_.end()) {
        if (strangers_.size() >= kMaxStrangers) {
            strangers_.clear();
        }
        strangers_.insert(advertisement.mac);
        return nullptr;
    }
    PairedLock& lock = *found->second;
    const auto state = lock.link->state();
    if (state == LinkState::Connecting || state == LinkState::Handshake ||
        state == LinkState::Ready) {
        return nullptr;  // still talking to it at the old address
    }
    if (auto moved = store_.setMac(lock.record.id, advertisement.mac); !moved) {
        // Tried again on its next advertisement; said once, not once a second.
        if (unmovable_.insert(lock.record.id).second) {
            log::warning(kLocksTag,
                         "the lock now advertises as " + advertisement.mac +
                             " but the new address cannot be stored: " + moved.error().message,
                         {{"LOCK", lock.record.topic}});
        }
        return nullptr;
    }
    unmovable_.erase(lock.record.id);
    lock.link->relocate(advertisement.mac);
    auto node = locks_.extract(found);
    node.key() = advertisement.mac;
    lock.record.mac = advertisement.mac;
    locks_.insert(std::move(node));
    return &lock;
}

void LockRegistry::updateDiscovery() {
    // A sleeping lock tells the hub it has news only through its advertisements (the
    // connect-request bit), so the hub scans while any lock is not kept connected (on_demand,
    // keep_alive: design §3). BlueZ also
    // forgets devices it has not seen for a while and cannot connect to them; while a lock is
    // unreachable, scanning lets it reappear (and its advertisement wakes its link).
    const bool sleepy = std::any_of(locks_.begin(), locks_.end(), [](const auto& entry) {
        return entry.second->link->policy().mode != LinkPolicy::Mode::Always;
    });
    const bool unreachable = std::any_of(online_.begin(), online_.end(),
                                         [](const auto& entry) { return !entry.second; });
    const bool wanted = sleepy || unreachable;
    if (wanted != discovering_) {
        discovering_ = wanted;
        wanted ? ble_.startDiscovery() : ble_.stopDiscovery();
        log::info(kLocksTag, !wanted  ? "all locks reachable and connected: not scanning"
                             : sleepy ? "scanning for the locks' connect requests"
                                      : "scanning for unreachable locks");
    }
}

}  // namespace lockhub
