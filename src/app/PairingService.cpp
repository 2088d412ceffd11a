#include "app/PairingService.h"

#include <algorithm>
#include <cctype>

#include "app/JsonReader.h"
#include "app/Log.h"
#include "app/ScannedAdvertisement.h"
#include "domain/lock/LockAddress.h"

namespace lockhub {
namespace {

constexpr std::string_view kPairingTag = "pairing";
constexpr auto kAdvertisementWait = std::chrono::seconds(8);
constexpr auto kPairDeadline = std::chrono::seconds(45);

// "Front Door" → "front-door": the <lock> level of the lock's topics.
std::string slug(const std::string& name) {
    std::string out;
    for (char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0) {
            out.push_back(static_cast<char>(std::tolower(c)));
        } else if (c == '_' || c == '-') {
            out.push_back(static_cast<char>(c));
        } else if (!out.empty() && out.back() != '-') {
            out.push_back('-');
        }
    }
    while (!out.empty() && out.back() == '-') {
        out.pop_back();
    }
    return out.substr(0, 64);
}

// A request made of required non-empty strings only (and the optional transaction).
Result<void> readStrings(const nlohmann::json& body,
                         std::initializer_list<std::pair<const char*, std::string*>> fields) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    for (const auto& [key, out] : fields) {
        reader.required(key);
        reader.nonEmptyString(key, *out);
    }
    reader.rejectUnknownKeys();
    return reader.verdict();
}

// A scanned Tuya device in either advertisement generation (reference §1.2): a bound lock hides
// its product id (null then).
std::optional<nlohmann::json> describeAdvertisement(const ports::Advertisement& advertisement,
                                                    bool paired) {
    const auto parsed = parseScanned(advertisement);
    if (!parsed) {
        return std::nullopt;
    }
    nlohmann::json entry = {
        {"mac", advertisement.mac}, {"name", advertisement.name}, {"paired", paired}};
    entry["rssi"] = advertisement.rssi ? nlohmann::json(*advertisement.rssi) : nlohmann::json();
    entry["protocol"] = parsed->protocolMajor ? nlohmann::json(*parsed->protocolMajor)
                        : parsed->generation == protocol::tuya::AdvertisementGeneration::V4
                            ? nlohmann::json(4)
                            : nlohmann::json();
    entry["bound"] = parsed->flags ? nlohmann::json(parsed->flags->bound) : nlohmann::json();
    entry["product_id"] = parsed->productId ? nlohmann::json(*parsed->productId) : nlohmann::json();
    return entry;
}

// Policy fields of a request (lock/pair's "policy", lock/set_policy); absent: the default.
void readPolicy(JsonReader& reader, ports::LockPolicy& policy) {
    std::string mode;
    reader.oneOf("mode", {"on_demand", "keep_alive", "always"}, mode);
    if (!mode.empty()) {
        policy.mode = mode;
    }
    const auto optionalInteger = [&](std::string_view key, std::int64_t min, std::int64_t max,
                                     std::optional<std::int64_t>& out) {
        std::int64_t value = -1;
        reader.integer(key, min, max, value);
        if (value >= 0) {
            out = value;
        }
    };
    optionalInteger("keep_alive_s", 1, 86400, policy.keepAliveS);
    optionalInteger("poll_interval_s", 0, 7 * 86400, policy.pollIntervalS);
    optionalInteger("availability_timeout_s", 0, 7 * 86400, policy.availabilityTimeoutS);
}

}  // namespace

// A pairing attempt: a throw-away link that must complete a real handshake with the given keys
// before anything is stored.
struct PairingService::Probe {
    ports::LockRecord record;
    BridgeService::Responder respond;
    std::unique_ptr<LockLink> link;
    bool discovering = false;
    ports::Scheduler::TimerId advertisementTimer = 0;
    ports::Scheduler::TimerId deadline = 0;
};

PairingService::PairingService(LockRegistry& registry, StatePublisher& state,
                               ports::LockStore& store, ports::BleCentral& ble,
                               ports::Scheduler& scheduler, BridgeService& bridge)
    : registry_(registry),
      state_(state),
      store_(store),
      ble_(ble),
      scheduler_(scheduler),
      bridge_(bridge) {
    registry_.setProbeLookup([this](const std::string& mac) { return probeLink(mac); });
    registry_.onAdvertisement(
        [this](const ports::Advertisement& advertisement) { onAdvertisement(advertisement); });
    bridge_.addAsyncOperation("lock/scan",
                              [this](const nlohmann::json& body, BridgeService::Responder respond) {
                                  scan(body, std::move(respond));
                              });
    bridge_.addAsyncOperation("lock/pair",
                              [this](const nlohmann::json& body, BridgeService::Responder respond) {
                                  pair(body, std::move(respond));
                              });
    bridge_.addOperation("lock/list", [this](const nlohmann::json& body) { return list(body); });
    bridge_.addOperation("lock/remove",
                         [this](const nlohmann::json& body) { return remove(body); });
    bridge_.addOperation("lock/rename",
                         [this](const nlohmann::json& body) { return rename(body); });
    bridge_.addOperation("lock/set_policy",
                         [this](const nlohmann::json& body) { return setPolicy(body); });
}

PairingService::~PairingService() {
    *alive_ = false;
    for (auto& [mac, probe] : probes_) {
        scheduler_.cancel(probe->deadline);
        scheduler_.cancel(probe->advertisementTimer);
    }
}

nlohmann::json PairingService::describe(const PairedLock& lock) const {
    const auto status = state_.status(lock);
    nlohmann::json entry = {
        {"lock", lock.record.topic},
        {"name", lock.record.name},
        {"mac", lock.record.mac},
        {"product_id", lock.record.productId},
        {"protocol", lock.record.protocolVersion},
        {"profile", lock.record.profile},
        {"state", std::string(domain::lockStateName(status.snapshot.lock))},
        {"link", status.link},
    };
    entry["available"] = status.available ? nlohmann::json(*status.available) : nlohmann::json();
    const auto& policy = lock.link->policy();
    entry["policy"] = {
        {"mode", std::string(linkModeName(policy.mode))},
        {"keep_alive_s", policy.keepAlive.count()},
        {"poll_interval_s", policy.pollInterval.count()},
        {"availability_timeout_s", policy.availabilityTimeout.count()},
    };
    entry["battery"] =
        status.snapshot.battery ? nlohmann::json(*status.snapshot.battery) : nlohmann::json();
    return entry;
}

void PairingService::scan(const nlohmann::json& body, BridgeService::Responder respond) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::int64_t seconds = 5;
    reader.integer("duration_s", 1, 60, seconds);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    if (!ble_.available()) {
        return respond(fail(Errc::Unavailable, "Bluetooth is not available (no BlueZ adapter)"));
    }
    ble_.startDiscovery();
    std::weak_ptr<bool> alive = alive_;
    scheduler_.after(std::chrono::seconds(seconds), [this, alive, respond] {
        if (alive.expired()) {
            return;
        }
        ble_.stopDiscovery();
        std::map<std::string, ports::Advertisement> devices;
        for (const auto& [mac, seen] : seen_) {
            devices.emplace(mac, seen.advertisement);
        }
        for (const auto& known : ble_.knownDevices()) {
            devices.try_emplace(known.mac, known);
        }
        nlohmann::json locks = nlohmann::json::array();
        for (const auto& [mac, advertisement] : devices) {
            if (auto entry =
                    describeAdvertisement(advertisement, registry_.byMac(mac) != nullptr)) {
                locks.push_back(std::move(*entry));
            }
        }
        respond(nlohmann::json{{"locks", locks}});
    });
}

void PairingService::pair(const nlohmann::json& body, BridgeService::Responder respond) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    ports::LockRecord record;
    std::string localKey;
    std::int64_t protocol = 3;
    for (const char* key : {"mac", "uuid", "local_key", "device_id", "name"}) {
        reader.required(key);
    }
    reader.nonEmptyString("mac", record.mac);
    reader.nonEmptyString("uuid", record.uuid);
    reader.nonEmptyString("local_key", localKey);
    reader.nonEmptyString("device_id", record.deviceId);
    reader.nonEmptyString("name", record.name);
    reader.nonEmptyString("lock", record.topic);
    reader.string("product_id", record.productId);
    reader.integer("protocol", 3, 4, protocol);
    record.profile = registry_.defaultProfile();
    reader.nonEmptyString("profile", record.profile);
    if (auto policy = reader.object("policy")) {
        readPolicy(*policy, record.policy);
        policy->rejectUnknownKeys();
    }
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return respond(tl::unexpected(ok.error()));
    }
    record.protocolVersion = static_cast<int>(protocol);
    record.localKey = SecretString(localKey);
    if (record.topic.empty()) {
        record.topic = slug(record.name);
    }
    auto normalized = domain::normalizedMac(record.mac);
    if (!normalized) {
        return respond(fail(Errc::BadRequest,
                            "/mac: expected a Bluetooth address like "
                            "DC:23:4D:12:34:56"));
    }
    record.mac = *normalized;
    if (record.uuid.size() != 16) {
        return respond(fail(Errc::BadRequest, "/uuid: expected the 16-character device UUID"));
    }
    if (localKey.size() < 6) {
        return respond(fail(Errc::BadRequest, "/local_key: expected at least 6 characters"));
    }
    if (record.deviceId.size() > 22) {
        return respond(fail(Errc::BadRequest, "/device_id: expected at most 22 characters"));
    }
    if (!domain::isTopic(record.topic)) {
        return respond(fail(Errc::BadRequest,
                            "/lock: expected 1 to 64 of a-z, 0-9, _ and - (not \"bridge\")"));
    }
    if (!registry_.hasProfile(record.profile)) {
        return respond(fail(Errc::BadRequest, "/profile: no profile \"" + record.profile + "\""));
    }
    if (const PairedLock* existing = registry_.byMac(record.mac)) {
        return respond(fail(Errc::Conflict, "lock " + record.mac + " is already paired as \"" +
                                                existing->record.topic + "\""));
    }
    if (registry_.byTopic(record.topic) != nullptr) {
        return respond(fail(Errc::Conflict, "the name \"" + record.topic + "\" is taken"));
    }
    if (auto admitted = registry_.admits(record.policy, nullptr); !admitted) {
        return respond(tl::unexpected(std::move(admitted.error())));
    }
    if (probes_.contains(record.mac)) {
        return respond(fail(Errc::Busy, "pairing of " + record.mac + " is already in progress"));
    }
    if (!ble_.available()) {
        return respond(fail(Errc::Unavailable, "Bluetooth is not available (no BlueZ adapter)"));
    }
    const std::string mac = record.mac;
    auto probe = std::make_unique<Probe>();
    probe->record = std::move(record);
    probe->respond = std::move(respond);
    std::weak_ptr<bool> alive = alive_;
    probe->deadline = scheduler_.after(kPairDeadline, [this, alive, mac] {
        if (!alive.expired()) {
            finishProbe(mac, fail(Errc::Timeout, "pairing " + mac + " did not finish in time"));
        }
    });
    probes_[mac] = std::move(probe);
    const auto known = ble_.knownDevices();
    const bool knownToBluez =
        seen_.contains(mac) || std::any_of(known.begin(), known.end(),
                                           [&](const auto& device) { return device.mac == mac; });
    if (knownToBluez) {
        return startProbe(mac);
    }
    // BlueZ cannot connect to a device it has not seen: look for it first.
    Probe& waiting = *probes_[mac];
    waiting.discovering = true;
    ble_.startDiscovery();
    waiting.advertisementTimer = scheduler_.after(kAdvertisementWait, [this, alive, mac] {
        if (!alive.expired()) {
            finishProbe(mac,
                        fail(Errc::NotFound,
                             "no lock with address " + mac + " is in range (not seen in " +
                                 std::to_string(kAdvertisementWait.count()) + " s of scanning)"));
        }
    });
}

void PairingService::onAdvertisement(const ports::Advertisement& advertisement) {
    const std::string& mac = advertisement.mac;
    if (registry_.byMac(mac) == nullptr) {
        rememberSeen(advertisement);
    }
    auto it = probes_.find(mac);
    if (it != probes_.end() && it->second->discovering && !it->second->link) {
        scheduler_.cancel(it->second->advertisementTimer);
        it->second->advertisementTimer = 0;
        startProbe(mac);
    }
}

LockLink* PairingService::probeLink(const std::string& mac) {
    auto it = probes_.find(mac);
    return it == probes_.end() ? nullptr : it->second->link.get();
}

void PairingService::startProbe(const std::string& mac) {
    Probe& probe = *probes_.at(mac);
    LinkPolicy policy = registry_.policy();
    policy.mode = LinkPolicy::Mode::Always;
    policy.pairing = true;
    policy.handshakeTimeout = std::chrono::seconds(8);
    std::weak_ptr<bool> alive = alive_;
    // The link reports from inside its own calls: finish on the next loop turn.
    auto later = [this, alive, mac](Result<nlohmann::json> result) {
        scheduler_.after(std::chrono::milliseconds(0), [this, alive, mac, result] {
            if (!alive.expired()) {
                finishProbe(mac, result);
            }
        });
    };
    LockLink::Events events;
    events.ready = [this, alive, mac] {
        scheduler_.after(std::chrono::milliseconds(0), [this, alive, mac] {
            if (!alive.expired()) {
                probeSucceeded(mac);
            }
        });
    };
    events.handshakeFailed = [later, mac](const std::string& reason) {
        later(fail(Errc::AuthFailed, "lock " + mac + " did not accept the keys (" + reason + ")"));
    };
    events.connectFailed = [later, mac](const Error& error) {
        if (error.code == Errc::NotFound) {
            return later(fail(Errc::NotFound, "no lock with address " + mac +
                                                  " is known to "
                                                  "Bluetooth: " +
                                                  error.message));
        }
        later(fail(error.code, "cannot connect to " + mac + ": " + error.message));
    };
    probe.link = registry_.makeLink(probe.record, policy, std::move(events));
    probe.link->start();
}

void PairingService::probeSucceeded(const std::string& mac) {
    auto it = probes_.find(mac);
    if (it == probes_.end()) {
        return;
    }
    if (!handshakeStep_) {
        return adoptProbe(mac);
    }
    std::weak_ptr<bool> alive = alive_;
    Probe& probe = *it->second;
    handshakeStep_(*probe.link, probe.record, [this, alive, mac] {
        // The probe may have ended meanwhile (its deadline); adoptProbe looks it up again.
        scheduler_.after(std::chrono::milliseconds(0), [this, alive, mac] {
            if (!alive.expired()) {
                adoptProbe(mac);
            }
        });
    });
}

void PairingService::adoptProbe(const std::string& mac) {
    auto it = probes_.find(mac);
    if (it == probes_.end()) {
        return;
    }
    // Again: another pairing may have been adopted while this one ran.
    if (auto admitted = registry_.admits(it->second->record.policy, nullptr); !admitted) {
        return finishProbe(mac, tl::unexpected(std::move(admitted.error())));
    }
    auto stored = store_.addLock(it->second->record, scheduler_.unixMillis());
    if (!stored) {
        return finishProbe(mac, tl::unexpected(stored.error()));
    }
    // The probe's connection goes first, so the lock's own link can connect.
    it->second->link->stop("paired");
    PairedLock& lock = registry_.adopt(std::move(*stored));
    log::info(kPairingTag, "paired " + mac, {{"LOCK", lock.record.topic}});
    bridge_.publishInfo();
    finishProbe(mac, describe(lock));
}

void PairingService::finishProbe(const std::string& mac, const Result<nlohmann::json>& result) {
    auto it = probes_.find(mac);
    if (it == probes_.end()) {
        return;
    }
    std::shared_ptr<Probe> probe = std::move(it->second);
    probes_.erase(it);
    scheduler_.cancel(probe->deadline);
    scheduler_.cancel(probe->advertisementTimer);
    if (probe->discovering) {
        ble_.stopDiscovery();
    }
    if (probe->link) {
        probe->link->stop("pairing finished");
    }
    // Destroyed on the next loop turn: this may run inside one of the link's own callbacks.
    scheduler_.after(std::chrono::milliseconds(0), [probe] {});
    probe->respond(result);
}

Result<nlohmann::json> PairingService::list(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    nlohmann::json locks = nlohmann::json::array();
    for (const PairedLock* lock : registry_.all()) {
        locks.push_back(describe(*lock));
    }
    return nlohmann::json{{"locks", locks}};
}

Result<nlohmann::json> PairingService::remove(const nlohmann::json& body) {
    std::string name;
    if (auto ok = readStrings(body, {{"lock", &name}}); !ok) {
        return tl::unexpected(ok.error());
    }
    auto found = registry_.lockCalled(name);
    if (!found) {
        return tl::unexpected(found.error());
    }
    PairedLock* lock = *found;
    if (auto removed = store_.removeLock(lock->record.id); !removed) {
        return tl::unexpected(removed.error());
    }
    auto description = describe(*lock);
    const std::string mac = lock->record.mac;
    registry_.remove(*lock);
    bridge_.publishInfo();
    log::info(kPairingTag, "removed " + mac, {{"LOCK", name}});
    return description;
}

Result<nlohmann::json> PairingService::setPolicy(const nlohmann::json& body) {
    JsonReader reader(body, "");
    reader.skip("transaction");
    std::string name;
    reader.required("lock");
    reader.nonEmptyString("lock", name);
    ports::LockPolicy policy;
    readPolicy(reader, policy);
    reader.rejectUnknownKeys();
    if (auto ok = reader.verdict(); !ok) {
        return tl::unexpected(ok.error());
    }
    auto found = registry_.lockCalled(name);
    if (!found) {
        return tl::unexpected(found.error());
    }
    PairedLock* lock = *found;
    if (auto admitted = registry_.admits(policy, lock); !admitted) {
        return tl::unexpected(std::move(admitted.error()));
    }
    if (auto stored = store_.setPolicy(lock->record.id, policy); !stored) {
        return tl::unexpected(stored.error());
    }
    registry_.applyPolicy(*lock, policy);
    log::info(kPairingTag, "policy changed", {{"LOCK", name}});
    return describe(*lock);
}

// Unpaired devices seen by scans, for lock/scan: bounded, and forgotten once unseen for a while,
// so a busy street does not grow it forever.
void PairingService::rememberSeen(const ports::Advertisement& advertisement) {
    const auto now = scheduler_.now();
    seen_[advertisement.mac] = {advertisement, now};
    if (seen_.size() <= kSeenLimit) {
        return;
    }
    std::erase_if(seen_, [now](const auto& entry) { return now - entry.second.at > kSeenFor; });
    while (seen_.size() > kSeenLimit) {
        seen_.erase(std::min_element(seen_.begin(), seen_.end(), [](const auto& a, const auto& b) {
            return a.second.at < b.second.at;
        }));
    }
}

Result<nlohmann::json> PairingService::rename(const nlohmann::json& body) {
    std::string name;
    std::string newName;
    if (auto ok = readStrings(body, {{"lock", &name}, {"name", &newName}}); !ok) {
        return tl::unexpected(ok.error());
    }
    auto found = registry_.lockCalled(name);
    if (!found) {
        return tl::unexpected(found.error());
    }
    PairedLock* lock = *found;
    if (auto renamed = store_.renameLock(lock->record.id, newName); !renamed) {
        return tl::unexpected(renamed.error());
    }
    registry_.applyName(*lock, std::move(newName));
    return describe(*lock);
}

}  // namespace lockhub
