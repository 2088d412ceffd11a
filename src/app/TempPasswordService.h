// Online temporary passwords (issue 11 §6, docs/codes.md "Online temporary passwords",
// docs/mqtt-api.md `temp_password/*`): the host chooses a 6-10 digit password, a UTC window and a
// use count; the hub pushes it to the lock over BLE with the profile's temp_password_create DP
// (DP 51), and changes (DP 53) or deletes (DP 52) it later.
//
// Every request is answered at once from the hub's row; what the lock must still be told is kept
// in the row (`sync`), so it waits, across restarts, until the lock is connected: on every
// connection (LockRegistry's `ready`) the lock's queued operations are written one at a time,
// deletions first so they free the lock's slots. The lock's reply `[hardware_id, result]` moves
// the state: pending → active, deleting → gone, or failed (result 1, or 2 = no free slot). At most
// kMaxValid pending or active passwords per lock; expired (the end passed) ones are deleted from
// the lock and, like gone and failed ones, free their slot. Each state change is a
// `temp_password` event on `<lock>/event`.
//
// The plaintext is stored (sealed by the store) only until the lock confirmed it; after that only
// the keyed hash, which also refuses a second valid password with the same digits.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "app/BridgeService.h"
#include "app/CodeAttribution.h"
#include "app/CommandReplies.h"
#include "app/LockRegistry.h"
#include "ports/Broker.h"
#include "ports/CodeHasher.h"
#include "ports/Scheduler.h"
#include "ports/TempPasswordStore.h"
#include "ports/UserStore.h"

namespace lockhub {

struct TempPasswordServiceOptions {
    std::string baseTopic = "lockhub";
    // From a write to the lock's reply; past it the operation waits for the next connection.
    std::chrono::milliseconds timeout{30000};
};

struct TempPasswordServicePorts {
    ports::TempPasswordStore& store;
    ports::UserStore& users;
    const ports::CodeHasher& hasher;
    ports::Scheduler& scheduler;
};

class TempPasswordService final : public CommandReplies {
public:
    // Tuya's limit of valid temporary passwords per lock (reference §2.5).
    static constexpr std::size_t kMaxValid = 10;

    TempPasswordService(TempPasswordServiceOptions options, TempPasswordServicePorts ports,
                        LockRegistry& registry, ports::Broker& broker, BridgeService& bridge);
    ~TempPasswordService() override;
    TempPasswordService(const TempPasswordService&) = delete;
    TempPasswordService& operator=(const TempPasswordService&) = delete;

    void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) override;
    // temp_password/delete {"id", "lock"?}, and code/revoke's temporary passwords
    // (CodeService::revokeTempPasswordsWith): with `lock`, an id of another lock is not_found.
    Result<nlohmann::json> remove(const nlohmann::json& body);
    // The password a temporary-password unlock record (DP 55) names by its hardware id.
    std::optional<AttributedCodes> unlockedBy(const PairedLock& lock, std::uint32_t hardwareId);

private:
    struct InFlight {
        std::int64_t rowId = 0;
        std::string sync;  // create, modify or delete
        // What the write told the lock, to tell a later change of it from a rename.
        std::int64_t start = 0;
        std::int64_t end = 0;
        std::int64_t uses = 0;
        std::vector<std::uint8_t> hash;
        std::uint8_t dp = 0;
        bool written = false;  // the lock acknowledged the write
        ports::Scheduler::TimerId deadline = 0;
    };

    Result<nlohmann::json> create(const nlohmann::json& body);
    Result<nlohmann::json> modify(const nlohmann::json& body);
    Result<nlohmann::json> list(const nlohmann::json& body);

    Result<PairedLock*> lockCalled(const std::string& topic);
    // The lock's rows, with passwords whose end passed moved to `expired` (and queued for
    // deletion when the lock holds them).
    Result<std::vector<ports::TempPassword>> rowsOf(std::int64_t lockId);
    Result<ports::TempPassword> rowCalled(std::int64_t id, PairedLock*& lock);
    // Stores a changed row (changed_at now) and tells the lock's event topic.
    Result<void> save(ports::TempPassword& row);
    nlohmann::json describe(const ports::TempPassword& row);

    // Writes the lock's next queued operation unless one is under way.
    void sendNext(PairedLock& lock);
    void written(std::int64_t lockId, std::int64_t rowId, const CommandResult& result);
    // The operation under way ends; the row stays queued unless `settled` moved it.
    void endInFlight(std::int64_t lockId);
    void settle(PairedLock& lock, const InFlight& sent, const domain::CommandReply& reply);
    // The row asks the lock for something else than `sent` did (a rename does not).
    static bool changedSince(const ports::TempPassword& row, const InFlight& sent);
    void publish(const ports::TempPassword& row);

    TempPasswordServiceOptions options_;
    TempPasswordServicePorts ports_;
    LockRegistry& registry_;
    ports::Broker& broker_;
    std::map<std::int64_t, InFlight> inFlight_;   // by lock id
    std::map<std::int64_t, std::string> topics_;  // lock id → topic, for rows of removed locks
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lockhub
