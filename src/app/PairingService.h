// The lock management operations of the bridge API (docs/mqtt-api.md): lock/scan, lock/pair,
// lock/list, lock/rename, lock/remove and lock/set_policy. Pairing proves the keys with a real
// handshake on a throw-away link before anything is stored; only then does the registry adopt the
// lock.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "app/BridgeService.h"
#include "app/LockRegistry.h"
#include "app/StatePublisher.h"
#include "ports/BleCentral.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

class PairingService {
public:
    PairingService(LockRegistry& registry, StatePublisher& state, ports::LockStore& store,
                   ports::BleCentral& ble, ports::Scheduler& scheduler, BridgeService& bridge);
    ~PairingService();
    PairingService(const PairingService&) = delete;
    PairingService& operator=(const PairingService&) = delete;

    // One more step on the proven link before the lock is stored (writing T0 with issuer `hub`):
    // it may fill in the record and must call `done` once.
    using HandshakeStep =
        std::function<void(LockLink& link, ports::LockRecord& record, std::function<void()> done)>;
    void setHandshakeStep(HandshakeStep step) { handshakeStep_ = std::move(step); }

private:
    struct Probe;

    void scan(const nlohmann::json& body, BridgeService::Responder respond);
    void pair(const nlohmann::json& body, BridgeService::Responder respond);
    Result<nlohmann::json> list(const nlohmann::json& body);
    Result<nlohmann::json> remove(const nlohmann::json& body);
    Result<nlohmann::json> rename(const nlohmann::json& body);
    Result<nlohmann::json> setPolicy(const nlohmann::json& body);
    void rememberSeen(const ports::Advertisement& advertisement);
    nlohmann::json describe(const PairedLock& lock) const;
    void startProbe(const std::string& mac);
    void onAdvertisement(const ports::Advertisement& advertisement);
    LockLink* probeLink(const std::string& mac);
    void probeSucceeded(const std::string& mac);
    void adoptProbe(const std::string& mac);
    void finishProbe(const std::string& mac, const Result<nlohmann::json>& result);

    LockRegistry& registry_;
    StatePublisher& state_;
    ports::LockStore& store_;
    ports::BleCentral& ble_;
    ports::Scheduler& scheduler_;
    BridgeService& bridge_;
    std::map<std::string, std::unique_ptr<Probe>> probes_;  // pairing attempts, by MAC
    HandshakeStep handshakeStep_;
    struct Seen {
        ports::Advertisement advertisement;
        std::chrono::steady_clock::time_point at;
    };
    static constexpr std::size_t kSeenLimit = 256;
    static constexpr auto kSeenFor = std::chrono::minutes(10);
    std::map<std::string, Seen> seen_;  // unpaired devices scans saw, by MAC
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
