// `<lock>/set` (design §3, §4): LOCK / UNLOCK become DP writes through the lock's link, and each
// command ends in exactly one result on `<lock>/set/result` — ok, rejected, failed or timeout —
// published through the outbox, so a result survives a broker outage.
//
// Commands run one at a time per lock. The lock's answer is tied to exactly the command that
// caused it: a reply counts only once that command's own write was acknowledged (write sequence),
// and only if it echoes that command's fields where the DP carries them (member id; DP 71 also
// the operation and timestamp). A reply that matches no waiting command — typically one that
// arrives after its command timed out — is logged and dropped, never credited to the next one.
// A `transaction` repeated within a minute gets the first result again and never runs twice.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "app/BridgeService.h"
#include "app/CommandAccess.h"
#include "app/CommandReplies.h"
#include "app/LockRegistry.h"
#include "app/OutboxPump.h"
#include "app/TransactionCache.h"
#include "ports/LockStore.h"
#include "ports/Scheduler.h"

namespace lockhub {

struct CommandServiceOptions {
    std::string baseTopic = "lockhub";
    std::chrono::milliseconds timeout{30000};  // from arrival to result, queueing included
};

class CommandService final : public CommandReplies {
public:
    CommandService(CommandServiceOptions options, LockRegistry& registry, ports::LockStore& store,
                   ports::Broker& broker, ports::Scheduler& scheduler,
                   protocol::tuya::RandomSource& random, OutboxPump& outbox, BridgeService& bridge);
    ~CommandService() override;
    CommandService(const CommandService&) = delete;
    CommandService& operator=(const CommandService&) = delete;

    void onReply(PairedLock& lock, std::uint8_t dp, const domain::CommandReply& reply) override;
    // An UNLOCK on another service's behalf (an approved unlock request), run and answered like
    // one from `<lock>/set` except that its result's `state` is `shownAs`.
    void unlockAs(PairedLock& lock, const std::string& shownAs, const nlohmann::json& transaction);

    // access.require_code_for_unlock (CommandAccess).
    void requireCodes(UnlockCodeCheck& check) { access_.requireCodes(check); }

private:
    enum class Stage { Queued, Writing, AwaitingReply };
    struct Command {
        std::uint64_t serial = 0;
        std::string state;    // "LOCK" or "UNLOCK"
        std::string shownAs;  // the result's `state` when not `state` (unlockAs)
        nlohmann::json transaction;
        std::string cacheKey;  // empty without a transaction
        std::string source;    // who asked (BridgeService::source), for the audit
        nlohmann::json code;   // codeMatchJson of the code that allowed it, or null
        std::vector<protocol::tuya::Dp> dps;
        std::optional<std::uint8_t> replyDp;
        std::vector<std::uint8_t> replyEcho;
        Stage stage = Stage::Queued;
        std::chrono::steady_clock::time_point deadlineAt;
        ports::Scheduler::TimerId deadline = 0;
    };

    bool onSet(const std::string& topic, const std::string& payload);
    // `code`: codeMatchJson of the code that allowed the command, for its result; `shownAs`:
    // the result's `state` when not `state` (unlockAs).
    void enqueue(PairedLock& lock, const std::string& state, const nlohmann::json& transaction,
                 const std::string& cacheKey, const nlohmann::json& code = nullptr,
                 const std::string& shownAs = {});
    // Audits one set result: `op` is set/LOCK or set/UNLOCK ("set" when the state is unknown).
    void audit(const std::string& source, const std::string& state, const std::string& lock,
               const std::string& result);
    void startNext(std::int64_t lockId);
    void written(std::int64_t lockId, std::uint64_t serial, const CommandResult& result);
    void expire(std::int64_t lockId, std::uint64_t serial);
    void finish(std::int64_t lockId, std::uint64_t serial, const CommandResult& result);
    void failAll(PairedLock& lock, const std::string& reason);
    void publishResult(const std::string& lockTopic, const nlohmann::json& payload,
                       const std::string& cacheKey);
    void emit(const std::string& topic, const std::string& payload);

    CommandServiceOptions options_;
    LockRegistry& registry_;
    ports::LockStore& store_;
    ports::Broker& broker_;
    ports::Scheduler& scheduler_;
    protocol::tuya::RandomSource& random_;
    OutboxPump& outbox_;
    BridgeService& bridge_;
    CommandAccess access_;
    std::map<std::int64_t, std::deque<Command>> queues_;  // by lock id
    std::map<std::int64_t, std::string> topics_;          // lock id → its topic
    TransactionCache transactions_;
    std::uint64_t nextSerial_ = 1;
};

}  // namespace lockhub
