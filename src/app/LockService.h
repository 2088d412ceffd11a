// The locks use case: every paired lock gets a LockLink, a DP translator for its profile and a
// snapshot of its state. Lock reports become retained state and stored events (published through
// the outbox); `<lock>/set` commands become DP writes with one honest result; the bridge API
// pairs, lists, renames and removes locks. Runs on the event loop.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "app/BridgeService.h"
#include "app/LockLink.h"
#include "app/LockMessages.h"
#include "app/OutboxPump.h"
#include "domain/lock/CommandEncoder.h"
#include "domain/lock/DpProfile.h"
#include "domain/lock/DpTranslator.h"
#include "domain/lock/LockSnapshot.h"
#include "ports/BleCentral.h"
#include "ports/Broker.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct LockServiceOptions {
    std::string baseTopic = "lockhub";
    LinkPolicy policy;
    std::chrono::milliseconds commandTimeout{30000};
    std::size_t maxConnections = 5;
    std::map<std::string, domain::DpProfile> profiles;
    std::string defaultProfile = "tuya-ble-lock";
};

class LockService {
public:
    LockService(LockServiceOptions options, ports::LockStore& store, ports::BleCentral& ble,
                ports::Scheduler& scheduler, protocol::tuya::RandomSource& random,
                ports::Broker& broker, BridgeService& bridge);
    ~LockService();

    // Loads the paired locks, starts their links and registers topics and operations.
    Result<void> start();
    std::size_t lockCount() const { return locks_.size(); }

private:
    struct PendingReply;
    struct Lock;
    struct Probe;

    Lock& adopt(ports::LockRecord record);
    LockIdentity identityOf(const ports::LockRecord& record) const;
    Lock* findByTopic(const std::string& topic);
    Lock* findByMac(const std::string& mac);
    std::string topicOf(const Lock& lock, const std::string& leaf) const;

    void routeBle();
    void onReport(Lock& lock, const protocol::tuya::DpReport& report);
    void onDp(Lock& lock, const protocol::tuya::Dp& dp, std::optional<std::int64_t> lockTime);
    void storeEvent(Lock& lock, const domain::DpRecord& dp, const domain::LockEvent& event,
                    std::optional<std::int64_t> lockTime);
    void publishState(Lock& lock);
    void publishAvailability(Lock& lock);
    void publishAll();
    void updateDiscovery();
    bool onSet(const std::string& topic, const std::string& payload);
    void runCommand(Lock& lock, domain::LockCommand command, const std::string& state,
                    const nlohmann::json& transaction);
    void publishResult(const Lock& lock, const std::string& state, const CommandResult& result,
                       const nlohmann::json& transaction);
    std::int64_t nowMs() const;

    // Bridge operations (LockPairing.cpp).
    void registerOperations();
    void scan(const nlohmann::json& body, BridgeService::Responder respond);
    void pair(const nlohmann::json& body, BridgeService::Responder respond);
    Result<nlohmann::json> list(const nlohmann::json& body);
    Result<nlohmann::json> remove(const nlohmann::json& body);
    Result<nlohmann::json> rename(const nlohmann::json& body);
    Result<Lock*> lockCalled(const std::string& name);
    nlohmann::json describe(const Lock& lock) const;
    void startProbe(const std::string& mac);
    void onProbeAdvertisement(const std::string& mac);
    LockLink* probeLink(const std::string& mac);
    void probeSucceeded(const std::string& mac);
    void finishProbe(const std::string& mac, const Result<nlohmann::json>& result);

    LockServiceOptions options_;
    ports::LockStore& store_;
    ports::BleCentral& ble_;
    ports::Scheduler& scheduler_;
    protocol::tuya::RandomSource& random_;
    ports::Broker& broker_;
    BridgeService& bridge_;
    ConnectionSlots slots_;
    OutboxPump outbox_;
    std::map<std::string, std::unique_ptr<Lock>> locks_;    // by MAC
    std::map<std::string, std::unique_ptr<Probe>> probes_;  // pairing attempts, by MAC
    std::map<std::string, ports::Advertisement> seen_;      // scan results, by MAC
    bool discovering_ = false;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
